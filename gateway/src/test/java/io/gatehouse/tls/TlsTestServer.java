package io.gatehouse.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** A plain Vert.x HTTPS server on 127.0.0.1:0 configured by {@link ServerTlsOptions}; answers 200. */
final class TlsTestServer {
  private TlsTestServer() {}

  /** Answers "ok", or the client certificate's subject when there is one. */
  static HttpServer start(Vertx vertx, ServerTlsOptions tls) {
    HttpServerOptions options = tls.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    HttpServer server = vertx.createHttpServer(options).requestHandler(request ->
        request.response().end(ClientCertificates.subjectOf(request).orElse("ok")));
    return await(server.listen());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }
}
