package io.gatehouse.sso.jwt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an issuer's {@code jwks_uri} with a non-blocking Vert.x client: one GET, no redirects, a deadline for the
 * whole exchange, and at most {@link #MAX_BODY_BYTES} of body (a larger answer is cut off, not buffered).
 *
 * <p>Keys decide which tokens are genuine, so they come over https, checked against the JVM's default trust or the
 * given trust, with host name verification. Plain http is accepted only for a loopback host (a local test IdP).
 */
public final class HttpJwksSource implements JwksSource {
  /** A JWKS is a few KB; Keycloak's with a dozen keys is under 20 KB. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final String uri;
  private final Duration timeout;

  /**
   * @param trust the CAs to trust for {@code jwksUri}; null for the JVM's default trust
   * @param timeout the longest one fetch may take, from connecting to the last byte
   */
  public HttpJwksSource(Vertx vertx, URI jwksUri, TrustOptions trust, Duration timeout) {
    boolean https = "https".equalsIgnoreCase(jwksUri.getScheme());
    if (!https && !("http".equalsIgnoreCase(jwksUri.getScheme()) && isLoopback(jwksUri.getHost()))) {
      throw new IllegalArgumentException("a jwks_uri must be https (http only on a loopback host)");
    }
    this.vertx = vertx;
    this.uri = jwksUri.toString();
    this.timeout = timeout;
    HttpClientOptions options = new HttpClientOptions()
        .setSsl(https)
        .setVerifyHost(true)
        .setConnectTimeout((int) Math.max(1, timeout.toMillis()))
        .setMaxRedirects(0);
    if (trust != null) options.setTrustOptions(trust);
    this.client = vertx.createHttpClient(options);
  }

  @Override public Future<List<JsonWebKey>> fetch() {
    Promise<List<JsonWebKey>> result = Promise.promise();
    long deadline = vertx.setTimer(Math.max(1, timeout.toMillis()),
        id -> result.tryFail(new TimeoutException("the JWKS did not arrive within " + timeout)));
    result.future().onComplete(ar -> vertx.cancelTimer(deadline));
    client.request(new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(uri)
            .setFollowRedirects(false)
            .putHeader(HttpHeaders.ACCEPT, "application/jwk-set+json, application/json"))
        .onFailure(result::tryFail)
        .onSuccess(request -> {
          result.future().onFailure(e -> request.reset());
          request.send().onFailure(result::tryFail).onSuccess(response -> read(response, result));
        });
    return result.future();
  }

  private static void read(HttpClientResponse response, Promise<List<JsonWebKey>> result) {
    // Set first: failing below resets the request, and a reset response without a handler is logged as an error.
    response.exceptionHandler(result::tryFail);
    if (response.statusCode() != 200) {
      result.tryFail(new IllegalStateException("the JWKS answered " + response.statusCode()));
      return;
    }
    String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declaredTooLong(declared)) {
      result.tryFail(new IllegalStateException("the JWKS is over " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        result.tryFail(new IllegalStateException("the JWKS is over " + MAX_BODY_BYTES + " bytes"));
      } else if (!result.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> {
      if (result.future().isComplete()) return;
      try {
        result.tryComplete(JwkSetParser.parse(body.getBytes()));
      } catch (IllegalArgumentException e) {
        result.tryFail(e);
      }
    });
  }

  private static boolean declaredTooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Loopback by its literal name only: resolving a host name here would block the event loop. */
  private static boolean isLoopback(String host) {
    if (host == null) return false;
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
  }

  public Future<Void> close() {
    return client.close();
  }
}
