package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Requests straight to one n8n's REST API on loopback with exactly the headers a test names (an identity assertion,
 * a session cookie, a browser id), and what came back, session cookie included. No cookie jar: n8n marks its cookie
 * {@code Secure}, and the tests must say which cookie each request carries anyway.
 */
final class N8nRest {
  static final String SESSION_COOKIE = "n8n-auth";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final N8nServer n8n;
  private final HttpClient client = N8nServer.directClient();

  N8nRest(N8nServer n8n) {
    this.n8n = n8n;
  }

  /** {@code headers} are name/value pairs; a null value leaves that header out. {@code body} is JSON or null. */
  Reply send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(n8n.baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) request.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i + 1] != null) request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), response.headers().allValues("set-cookie"));
  }

  /** The {@code Cookie} header value carrying n8n's session {@code token}, or null for none. */
  static String cookie(String token) {
    return token == null ? null : SESSION_COOKIE + "=" + token;
  }

  /** One answer from n8n (or from the hook in front of it). */
  record Reply(int status, String body, List<String> setCookies) {
    Reply {
      setCookies = List.copyOf(setCookies);
    }

    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    /** {@code data} of n8n's {@code {"data": ...}} envelope. */
    JsonNode data() throws Exception {
      return json().get("data");
    }

    /** The session token this answer set, if it set one (a cleared cookie is not one). */
    Optional<String> issuedSession() {
      return sessionValues().filter(value -> !value.isEmpty()).reduce((first, last) -> last);
    }

    /** True when this answer cleared n8n's session cookie. */
    boolean clearedSession() {
      return sessionValues().anyMatch(String::isEmpty);
    }

    /** The whole {@code Set-Cookie} line of the session cookie this answer set. */
    Optional<String> sessionCookieLine() {
      return setCookies.stream().filter(line -> line.startsWith(SESSION_COOKIE + "=")
          && !line.startsWith(SESSION_COOKIE + "=;")).reduce((first, last) -> last);
    }

    private java.util.stream.Stream<String> sessionValues() {
      return setCookies.stream()
          .filter(line -> line.startsWith(SESSION_COOKIE + "="))
          .map(line -> line.substring(SESSION_COOKIE.length() + 1).split(";", 2)[0]);
    }
  }
}
