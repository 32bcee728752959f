package io.gatehouse.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
  private static final ForwardSettings SETTINGS = new ForwardSettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1),
      "h", "https", Duration.ofSeconds(1), Duration.ofSeconds(1), Set.of());

  @Test
  void anExchangesEditsDropItsCredentialsAndReplaceEveryClientCopyOfWhatItSets() {
    HttpHeaders client = new DefaultHttpHeaders()
        .add("Authorization", "Bearer eyJ.token.sig")
        .add("Cookie", "__Host-gatehouse=sealed; n8n-auth=jwt")
        .add("cookie", "theme=dark")
        .add("X-Gatehouse-Identity", "forged")
        .add("x-gatehouse-identity", "forged-again")
        .add("Accept", "application/json");
    Exchange exchange = new Exchange("req-1", null);
    exchange.upstreamEdits().remove("Authorization");
    exchange.upstreamEdits().removeCookie("__Host-gatehouse");
    exchange.upstreamEdits().set("X-Gatehouse-Identity", "v1.signed");
    HttpHeaders upstream = new DefaultHttpHeaders();

    ForwardedHeaders.copyRequest(client, upstream, exchange, SETTINGS);

    assertThat(upstream.contains("Authorization")).isFalse();
    assertThat(upstream.getAll("Cookie")).containsExactly("n8n-auth=jwt; theme=dark");
    assertThat(upstream.getAll("X-Gatehouse-Identity")).containsExactly("v1.signed");
    assertThat(upstream.get("Accept")).isEqualTo("application/json");
  }

  @Test
  void withoutEditsTheClientsHeadersPassAsBefore() {
    HttpHeaders client = new DefaultHttpHeaders().add("Authorization", "Basic x").add("Cookie", "a=1").add("cookie", "b=2");
    HttpHeaders upstream = new DefaultHttpHeaders();

    ForwardedHeaders.copyRequest(client, upstream, new Exchange("req-2", null), SETTINGS);

    assertThat(upstream.get("Authorization")).isEqualTo("Basic x");
    assertThat(upstream.getAll("Cookie")).containsExactly("a=1; b=2");
  }

  @Test
  void whatTheGatewayAssertsAboutAPersonNeverComesFromTheClientOnAnyRoute() {
    HttpHeaders client = new DefaultHttpHeaders().add("X-Gatehouse-Identity", "v1.forged.mac")
        .add("X-Forwarded-User", "owner").add("x-forwarded-email", "owner@example.test")
        .add("X-Remote-User", "owner");
    HttpHeaders upstream = new DefaultHttpHeaders();
    ForwardSettings customNames = new ForwardSettings(1, Duration.ofSeconds(1), Duration.ofSeconds(1), "h", "https",
        Duration.ofSeconds(1), Duration.ofSeconds(1), Set.of("x-remote-user"));

    ForwardedHeaders.copyRequest(client, upstream, new Exchange("req-3", null), customNames);

    assertThat(upstream.isEmpty()).isTrue();
  }

  @Test
  void removingTheOnlyCookieSendsNoCookieHeaderAndNamesMatchExactly() {
    assertThat(ForwardedHeaders.withoutCookies("__Host-gatehouse=x", List.of("__Host-gatehouse"))).isEmpty();
    assertThat(ForwardedHeaders.withoutCookies("__Host-gatehouse2=x; __host-gatehouse=y;;  a=1 ",
        List.of("__Host-gatehouse"))).isEqualTo("__Host-gatehouse2=x; __host-gatehouse=y; a=1");
    assertThat(ForwardedHeaders.withoutCookies("flag; __Host-gatehouse = spaced", List.of("__Host-gatehouse")))
        .isEqualTo("flag");
  }
}
