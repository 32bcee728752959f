package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.GuardChain;
import io.gatehouse.core.Identity;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.http.ClientRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRecordTest {

  @Test
  void takesEveryFieldFromTheExchangeAndRedactsTheQuery() throws Exception {
    Exchange exchange = new Exchange("req-9", requestWithMethod(HttpMethod.POST));
    exchange.path("/webhook/claims-intake");
    exchange.query("id=7&signature=abc");
    exchange.clientAddress(InetAddress.getByName("192.0.2.10"));
    exchange.route(new Route("webhooks", List.of("/webhook/"), new GuardChain(List.of()), new Route.Target.Upstream("webhook"), PayloadCapture.BOTH, 1 << 20));
    exchange.identity(Identity.ofSubject("svc-42"));
    exchange.clientCertificateSubject("CN=sender");
    exchange.status(200);
    exchange.addBytesIn(512);
    exchange.addBytesOut(20);
    exchange.upstreamTarget("127.0.0.1:5678");

    AccessRecord record = AccessRecord.of(exchange);

    assertThat(record.time()).isEqualTo(exchange.startedAt());
    assertThat(record.requestId()).isEqualTo("req-9");
    assertThat(record.route()).isEqualTo("webhooks");
    assertThat(record.clientIp()).isEqualTo("192.0.2.10");
    assertThat(record.identity()).isEqualTo("svc-42");
    assertThat(record.method()).isEqualTo("POST");
    assertThat(record.path()).isEqualTo("/webhook/claims-intake");
    assertThat(record.query()).as("no log_query on the route: no value kept").isEqualTo("id=REDACTED&signature=REDACTED");
    assertThat(record.status()).isEqualTo(200);
    assertThat(record.bytesIn()).isEqualTo(512);
    assertThat(record.bytesOut()).isEqualTo(20);
    assertThat(record.latencyMicros()).isNotNegative();
    assertThat(record.reason()).isEqualTo(Reason.NONE);
    assertThat(record.decision()).isEqualTo(Decision.ALLOW);
    assertThat(record.upstream()).isEqualTo("127.0.0.1:5678");
    assertThat(record.tlsClientSubject()).isEqualTo("CN=sender");
  }

  @Test
  void leavesUnknownFieldsNullForARequestRefusedBeforeRouting() {
    Exchange exchange = new Exchange("req-10", requestWithMethod(HttpMethod.GET));
    exchange.path("/x");
    exchange.reason(Reason.BAD_REQUEST);
    exchange.status(400);

    AccessRecord record = AccessRecord.of(exchange);

    assertThat(record.route()).isNull();
    assertThat(record.clientIp()).isNull();
    assertThat(record.identity()).isNull();
    assertThat(record.query()).isNull();
    assertThat(record.upstream()).isNull();
    assertThat(record.tlsClientSubject()).isNull();
    assertThat(record.decision()).isEqualTo(Decision.REFUSE);
  }

  @Test
  void countsUpstreamFailuresAsAllowedAndGuardRefusalsAsRefused() {
    assertThat(Decision.of(Reason.NONE)).isEqualTo(Decision.ALLOW);
    assertThat(Decision.of(Reason.UPSTREAM_UNAVAILABLE)).isEqualTo(Decision.ALLOW);
    assertThat(Decision.of(Reason.UPSTREAM_TIMEOUT)).isEqualTo(Decision.ALLOW);
    // The client went away: the gateway refused nothing.
    assertThat(Decision.of(Reason.CLIENT_CLOSED)).isEqualTo(Decision.ALLOW);
    for (Reason reason : Reason.values()) {
      if (reason.status() >= 400 && reason.status() < 499) {
        assertThat(Decision.of(reason)).as(reason.code()).isEqualTo(Decision.REFUSE);
      }
    }
    assertThat(Decision.of(Reason.GUARD_ERROR)).isEqualTo(Decision.REFUSE);
    assertThat(Decision.of(Reason.AUDIT_UNAVAILABLE)).isEqualTo(Decision.REFUSE);
  }

  /** Only {@code method()} is read when building a record; any other call would be a bug and fails loudly. */
  private static ClientRequest requestWithMethod(HttpMethod method) {
    return (ClientRequest) Proxy.newProxyInstance(ClientRequest.class.getClassLoader(),
        new Class<?>[] {ClientRequest.class}, (proxy, m, args) -> {
          if (m.getName().equals("method")) return method;
          throw new UnsupportedOperationException(m.getName());
        });
  }
}
