package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestHygieneTest {

  private static MultiMap headers(String... nameValues) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) map.add(nameValues[i], nameValues[i + 1]);
    return map;
  }

  private static Optional<String> h1(String uri, String... nameValues) {
    return RequestHygiene.check(HttpMethod.GET, HttpVersion.HTTP_1_1, uri, headers(nameValues), null);
  }

  private static Optional<String> h2(String authority, String uri, String... nameValues) {
    return RequestHygiene.check(HttpMethod.GET, HttpVersion.HTTP_2, uri, headers(nameValues), authority);
  }

  @Test
  void acceptsOrdinaryRequests() {
    assertThat(h1("/rest/login", "Host", "n8n.example.com")).isEmpty();
    assertThat(h1("/webhook/x", "Host", "n8n.example.com:8443", "Content-Length", "12")).isEmpty();
    assertThat(h1("/webhook/x", "Host", "[::1]:8443", "Transfer-Encoding", "chunked")).isEmpty();
    assertThat(h1("/a", "Host", "a", "X-Tab", "a\tb", "X-Latin", "caf\u00e9")).isEmpty();
    assertThat(h2("n8n.example.com", "/rest/push", "te", "trailers")).isEmpty();
    assertThat(RequestHygiene.check(HttpMethod.GET, HttpVersion.HTTP_1_0, "/a", headers(), null)).isEmpty();
  }

  @Test
  void refusesAWebSocketHandshakeWithABodyButNotAnEmptyOne() {
    String[] handshake = {"Host", "a", "Upgrade", "websocket", "Connection", "Upgrade"};
    assertThat(h1("/ws", handshake)).isEmpty();
    assertThat(h1("/ws", concat(handshake, "Content-Length", "0"))).isEmpty();
    assertThat(h1("/ws", concat(handshake, "Content-Length", "44"))).isPresent();
    assertThat(h1("/ws", concat(handshake, "Transfer-Encoding", "chunked"))).isPresent();
    assertThat(h1("/ws", "Host", "a", "Upgrade", "WebSocket", "Connection", "Upgrade", "Content-Length", "1")).isPresent();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void refusesConnectAndTrace() {
    assertThat(RequestHygiene.check(HttpMethod.CONNECT, HttpVersion.HTTP_1_1, "a:443", headers("Host", "a:443"), null)).isPresent();
    assertThat(RequestHygiene.check(HttpMethod.CONNECT, HttpVersion.HTTP_2, null, headers(), "a:443")).isPresent();
    assertThat(RequestHygiene.check(HttpMethod.TRACE, HttpVersion.HTTP_1_1, "/a", headers("Host", "a"), null)).isPresent();
  }

  @Test
  void refusesContentLengthWithTransferEncoding() {
    assertThat(h1("/a", "Host", "a", "Content-Length", "5", "Transfer-Encoding", "chunked")).isPresent();
  }

  @Test
  void refusesDifferingAndDuplicateContentLengths() {
    assertThat(h1("/a", "Host", "a", "Content-Length", "1", "Content-Length", "2")).isPresent();
    assertThat(h1("/a", "Host", "a", "Content-Length", "1", "Content-Length", "1")).isPresent();
    assertThat(h1("/a", "Host", "a", "Content-Length", "1, 1")).isPresent();
    assertThat(h1("/a", "Host", "a", "Content-Length", "1,2")).isPresent();
  }

  @Test
  void refusesContentLengthThatIsNotPlainDigits() {
    for (String bad : new String[] {"+1", "-1", "0x1", "1 1", "1e3", "", "1,", "\u0661", "1234567890123456789"}) {
      assertThat(h1("/a", "Host", "a", "Content-Length", bad)).as(bad).isPresent();
    }
  }

  @Test
  void refusesTransferEncodingOtherThanExactlyChunked() {
    for (String bad : new String[] {"gzip, chunked", "Chunked", "chunked, chunked", "identity", "xchunked", "chunked;x=1"}) {
      assertThat(h1("/a", "Host", "a", "Transfer-Encoding", bad)).as(bad).isPresent();
    }
    assertThat(h1("/a", "Host", "a", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked")).isPresent();
  }

  @Test
  void refusesTransferEncodingOnHttp10() {
    assertThat(RequestHygiene.check(HttpMethod.POST, HttpVersion.HTTP_1_0, "/a", headers("Transfer-Encoding", "chunked"), null))
        .isPresent();
  }

  @Test
  void refusesHttp2ConnectionSpecificHeadersAndTeOtherThanTrailers() {
    assertThat(h2("a", "/a", "te", "gzip")).isPresent();
    assertThat(h2("a", "/a", "te", "trailers", "te", "trailers")).isPresent();
    assertThat(h2("a", "/a", "transfer-encoding", "chunked")).isPresent();
    assertThat(h2("a", "/a", "connection", "keep-alive")).isPresent();
    assertThat(h2("a", "/a", "upgrade", "websocket")).isPresent();
    assertThat(h2("a", "/a", "content-length", "1", "content-length", "2")).isPresent();
  }

  @Test
  void refusesMoreThanOneHost() {
    assertThat(h1("/a", "Host", "a", "Host", "b")).isPresent();
    assertThat(h1("/a", "Host", "a", "Host", "a")).isPresent();
    assertThat(h2(null, "/a", "host", "a", "host", "b")).isPresent();
  }

  @Test
  void refusesMissingHostOnHttp11() {
    assertThat(h1("/a")).isPresent();
    assertThat(h2(null, "/a")).isPresent();
  }

  @Test
  void refusesMalformedHost() {
    for (String bad : new String[] {"", "a/b", "u@a", "a b", "a:x", "a:65536", "[::1", "[zz::1]", "a:1:2"}) {
      assertThat(h1("/a", "Host", bad)).as(bad).isPresent();
    }
    assertThat(h1("/a", "Host", "a:")).isEmpty();
  }

  @Test
  void refusesAbsoluteFormWhoseAuthorityDiffersFromHost() {
    assertThat(h1("http://b/x", "Host", "a")).isPresent();
    assertThat(h1("http://a:8080/x", "Host", "a")).isPresent();
    assertThat(h1("https://a/x", "Host", "a:80")).isPresent();
    assertThat(h1("http://a@b/x", "Host", "b")).isPresent();
  }

  @Test
  void acceptsAbsoluteFormMatchingHostCaseInsensitivelyWithDefaultPorts() {
    assertThat(h1("http://A:80/x", "Host", "a")).isEmpty();
    assertThat(h1("https://n8n.example.com/x", "Host", "N8N.example.com:443")).isEmpty();
    assertThat(h1("HTTP://[::1]:8080/x", "Host", "[::1]:8080")).isEmpty();
  }

  @Test
  void refusesHttp2AbsolutePathAndHostDifferingFromAuthority() {
    assertThat(h2("a", "http://b/x")).isPresent();
    assertThat(h2("a", "/a", "host", "b")).isPresent();
    assertThat(h2("a", "/a", "host", "A")).isEmpty();
    assertThat(h2("a/b", "/a")).isPresent();
  }

  @Test
  void refusesInvalidHeaderNames() {
    for (String bad : new String[] {"X A", "X(A)", "X:A", "X\u0001A", "X\u00e9A", "x\"a", "x/a"}) {
      assertThat(h1("/a", "Host", "a", bad, "v")).as(bad).isPresent();
    }
  }

  @Test
  void refusesControlCharactersInHeaderValues() {
    for (String bad : new String[] {"b\u0000c", "b\rc", "b\nc", "b\r\nX-Injected: 1", "b\u0001c", "b\u001fc", "b\u007fc"}) {
      assertThat(h1("/a", "Host", "a", "X-A", bad)).as(bad.replace("\r", "\\r").replace("\n", "\\n")).isPresent();
      assertThat(h2("a", "/a", "x-a", bad)).isPresent();
    }
  }

  @Test
  void refusesObsFoldRemnantInHttp2Values() {
    // HTTP/1 obs-fold is unfolded by Netty; in HTTP/2 a fold can only arrive as CR LF SP inside a value.
    assertThat(h2("a", "/a", "x-a", "b\r\n c")).isPresent();
    assertThat(h2("a", "/a", "x-a", " b")).isPresent();
    assertThat(h2("a", "/a", "x-a", "b\t")).isPresent();
  }

  @Test
  void refusesEmptyTarget() {
    assertThat(h1("", "Host", "a")).isPresent();
    assertThat(h1(null, "Host", "a")).isPresent();
  }
}
