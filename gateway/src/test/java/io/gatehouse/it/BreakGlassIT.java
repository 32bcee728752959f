package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's {@code break_glass} while the IdP is down (the issuer here answers nothing): from the bastion
 * (127.0.0.2; Linux routes all of 127.0.0.0/8 to loopback) a request without a session reaches n8n under n8n's own
 * login, and n8n's password login goes through for the listed owner only, its body forwarded byte for byte; from
 * anywhere else everything stays as SSO has it. Each use is in the access log and counted; no password is logged.
 */
class BreakGlassIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final InetAddress BASTION = address("127.0.0.2");
  private static final String PASSWORD = "owner-Break-Glass-Password-0042";
  private static final String SECTIONS = """
      sso:
        issuer: "http://127.0.0.1:1/realms/none"
        client_id: "gatehouse"
        client_secret: "client-secret-0123456789"
        cookie_secret: "cookie-secret-for-the-break-glass-test-0123456789"
      routes:
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          auth: "sso"
          require_groups: ["n8n-users"]
          break_glass: { allow: ["127.0.0.2/32"], users: ["Owner@Example.test"] }
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  /** Everything Gatehouse logs during the class. */
  private static LogCapture log;

  @BeforeAll static void start() throws Exception {
    log = LogCapture.of("io.gatehouse");
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.start(upstream.url(), SECTIONS, "");
  }

  @AfterAll static void stop() {
    log.close();
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @Test void fromTheBastionARequestWithoutASessionReachesN8nUnderItsOwnLogin() throws Exception {
    upstream.clear();
    RawReply page = send(BASTION, "GET /home/workflows HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Mode: navigate\r\n"
        + "Accept: text/html\r\nConnection: close\r\n\r\n");

    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(upstream.seen()).hasSize(1);
    assertThat(upstream.seen().get(0).header("X-Gatehouse-Identity")).isNull();
    JsonNode record = recordOf(page);
    assertThat(record.get("detail").asText()).startsWith("break-glass: no session");
    // Anonymous: the audit log leaves the absent identity out rather than writing null.
    assertThat(record.has("identity")).as(record.toString()).isFalse();
  }

  @Test void theListedOwnersPasswordLoginGoesThroughFromTheBastionByteForByte() throws Exception {
    upstream.clear();
    double before = breakGlass("login");
    String body = "{\"emailOrLdapLoginId\":\"owner@example.TEST\",\"password\":\"" + PASSWORD + "\"}";

    RawReply login = send(BASTION, post("/rest/login", body));

    assertThat(login.status()).as(login.text()).isEqualTo(200);
    JsonNode seen = JSON.readTree(login.body());
    assertThat(seen.get("bodySha256").asText()).isEqualTo(sha256(body));
    assertThat(recordOf(login).get("detail").asText())
        .isEqualTo("break-glass: n8n password login as owner@example.test");
    assertThat(breakGlass("login") - before).isEqualTo(1);
    assertThat(log.lines()).anyMatch(line -> line.contains("break-glass: n8n password login as owner@example.test from"
        + " 127.0.0.2 let through"));
    assertNoPasswordLogged();
  }

  @Test void anyOtherAccountOrABodyThatIsNotALoginIsRefusedSsoRequiredAtTheBastion() throws Exception {
    upstream.clear();
    double before = breakGlass("refused");
    for (String body : List.of("{\"emailOrLdapLoginId\":\"member@example.test\",\"password\":\"" + PASSWORD + "\"}",
        "{\"emailOrLdapLoginId\":\"" + PASSWORD + "\",\"password\":\"x\"}",
        "{\"emailOrLdapLoginId\":[\"owner@example.test\"]}", "not json", "")) {
      RawReply refused = send(BASTION, post("/rest/login", body));

      assertThat(refused.status()).as(body).isEqualTo(403);
      assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("sso_required");
    }
    assertThat(upstream.seen()).as("n8n saw none of them").isEmpty();
    assertThat(breakGlass("refused") - before).isEqualTo(5);
    assertNoPasswordLogged();

    RawReply huge = send(BASTION, post("/rest/login", "{\"emailOrLdapLoginId\":\"" + "a".repeat(20_000) + "\"}"));
    assertThat(huge.status()).isEqualTo(413);
  }

  @Test void fromAnywhereElseOrWithAForgedForwardedForThePasswordLoginIsRefusedAndBrowsersGoToTheIdp() throws Exception {
    upstream.clear();
    String body = "{\"emailOrLdapLoginId\":\"owner@example.test\",\"password\":\"" + PASSWORD + "\"}";

    RawReply login = send(null, post("/rest/login", body));
    assertThat(login.status()).isEqualTo(403);
    assertThat(JSON.readTree(login.body()).get("error").asText()).isEqualTo("sso_required");
    // No trusted proxy is configured: a client claiming to forward for the bastion is still only itself.
    RawReply spoofed = send(null, post("/rest/login", body).replace("Host: localhost\r\n",
        "Host: localhost\r\nX-Forwarded-For: 127.0.0.2\r\nForwarded: for=127.0.0.2\r\n"));
    assertThat(spoofed.status()).as(spoofed.text()).isEqualTo(403);
    assertThat(JSON.readTree(spoofed.body()).get("error").asText()).isEqualTo("sso_required");
    RawReply api = send(null, "GET /rest/workflows HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(api.status()).isEqualTo(401);
    // The IdP is down, so the browser cannot be sent there: 503, and still never to n8n.
    RawReply page = send(null, "GET /home HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Mode: navigate\r\n"
        + "Accept: text/html\r\nConnection: close\r\n\r\n");
    assertThat(page.status()).isEqualTo(503);
    assertThat(upstream.seen()).isEmpty();
  }

  private static String post(String path, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
  }

  private static void assertNoPasswordLogged() throws Exception {
    for (JsonNode record : gateway.accessLog(0)) assertThat(record.toString()).doesNotContain(PASSWORD);
    assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
  }

  private static double breakGlass(String outcome) throws Exception {
    return MetricsText.value(gateway.metrics(), "gatehouse_sso_events_total",
        Map.of("event", "break_glass", "outcome", outcome));
  }

  /**
   * The access-log record of the request {@code reply} answered, found by its request id: the log is written by a
   * background thread, so the newest record on disk may still be an earlier request's.
   */
  private static JsonNode recordOf(RawReply reply) throws Exception {
    String id = reply.header("X-Request-Id");
    JsonNode[] found = new JsonNode[1];
    GatewayHarness.awaitTrue(() -> {
      try {
        found[0] = gateway.accessLog(0).stream().filter(r -> id.equals(r.path("request_id").asText())).findFirst()
            .orElse(null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return found[0] != null;
    }, Duration.ofSeconds(5), "the access-log record of request " + id);
    return found[0];
  }


  /** One request on a fresh TLS connection from {@code source} (null: 127.0.0.1), read until the gateway closes. */
  private static RawReply send(InetAddress source, String request) throws IOException {
    try (SSLSocket socket = (SSLSocket) gateway.sslContext().getSocketFactory().createSocket()) {
      if (source != null) socket.bind(new InetSocketAddress(source, 0));
      socket.connect(new InetSocketAddress(gateway.host(), gateway.port()), 5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return RawReply.read(socket, Duration.ofSeconds(5));
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
