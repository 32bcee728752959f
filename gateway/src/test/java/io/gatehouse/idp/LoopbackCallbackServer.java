package io.gatehouse.idp;

import io.gatehouse.tls.DevCertificateWriter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A relying party's endpoints on {@code https://127.0.0.1:<free port>}, serving the development certificate (whose
 * CA the headless browser and Keycloak are told to trust):
 *
 * <ul>
 *   <li>{@code /callback}, the redirect URI: records the query and answers a small page, so a test can drive a
 *       login in the browser and then take the code itself;</li>
 *   <li>{@code /backchannel-logout}: records the {@code logout_token} Keycloak POSTs (OIDC Back-Channel Logout)
 *       and answers 200.</li>
 * </ul>
 */
public final class LoopbackCallbackServer implements AutoCloseable {
  /** Text of the page the callback answers: a test can wait for it in the browser. */
  public static final String LANDED = "gatehouse-test callback received";

  private final Vertx vertx;
  private final HttpServer server;
  private final LinkedBlockingQueue<Map<String, String>> callbacks = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> logoutTokens = new LinkedBlockingQueue<>();

  /**
   * @param certDir a folder written by {@link DevCertificateWriter#writeServer}
   */
  public LoopbackCallbackServer(Path certDir) throws Exception {
    this.vertx = Vertx.vertx();
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(certDir.resolve(DevCertificateWriter.SERVER_CERT).toString())
            .setKeyPath(certDir.resolve(DevCertificateWriter.SERVER_KEY).toString()));
    this.server = vertx.createHttpServer(options).requestHandler(request -> {
      if (request.path().equals("/backchannel-logout") && request.method() == HttpMethod.POST) {
        request.setExpectMultipart(true);
        request.endHandler(done -> {
          String token = request.getFormAttribute("logout_token");
          if (token != null) logoutTokens.add(token);
          request.response().setStatusCode(token == null ? 400 : 200).end();
        });
        return;
      }
      if (!request.path().equals("/callback")) {
        request.response().setStatusCode(404).end();
        return;
      }
      Map<String, String> query = new LinkedHashMap<>();
      request.params().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
      callbacks.add(Map.copyOf(query));
      request.response().putHeader("Content-Type", "text/html; charset=utf-8")
          .end("<!doctype html><title>callback</title><p>" + LANDED + "</p>");
    }).listen().await();
  }

  public int port() {
    return server.actualPort();
  }

  public String redirectUri() {
    return "https://127.0.0.1:" + port() + "/callback";
  }

  public String backchannelLogoutUri() {
    return "https://127.0.0.1:" + port() + "/backchannel-logout";
  }

  /** The next {@code logout_token} POSTed to {@link #backchannelLogoutUri()}. */
  public String awaitLogoutToken(Duration timeout) throws InterruptedException {
    String token = logoutTokens.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (token == null) throw new AssertionError("no back-channel logout reached " + backchannelLogoutUri() + " within "
        + timeout);
    return token;
  }

  /** The next callback's query parameters ({@code code}, {@code state}, or {@code error}). */
  public Map<String, String> awaitCallback(Duration timeout) throws InterruptedException {
    Map<String, String> query = callbacks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (query == null) throw new AssertionError("no request reached " + redirectUri() + " within " + timeout);
    return query;
  }

  /** Drops callbacks and logout tokens not taken yet, so the next {@link #awaitCallback} sees only what follows. */
  public void forgetCallbacks() {
    callbacks.clear();
    logoutTokens.clear();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
