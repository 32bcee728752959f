package io.gatehouse.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Vert.x server request seen as a {@link ClientRequest}, for tests that run guards or hygiene checks behind a plain
 * Vert.x server rather than the gateway's listener. Only what those tests use is supported.
 */
public final class VertxClientRequest implements ClientRequest {
  private final HttpServerRequest request;
  private final HttpHeaders headers = new DefaultHttpHeaders(false);
  private final Response response;

  public VertxClientRequest(HttpServerRequest request) {
    this.request = request;
    for (Map.Entry<String, String> field : request.headers()) headers.add(field.getKey(), field.getValue());
    this.response = new Response(request.response());
  }

  @Override public HttpMethod method() { return HttpMethod.valueOf(request.method().name()); }
  @Override public String uri() { return request.uri(); }

  @Override public HttpProtocol protocol() {
    return request.version() == HttpVersion.HTTP_2 ? HttpProtocol.HTTP_2
        : request.version() == HttpVersion.HTTP_1_0 ? HttpProtocol.HTTP_1_0 : HttpProtocol.HTTP_1_1;
  }

  @Override public HttpHeaders headers() { return headers; }

  @Override public String authority() {
    if (request.version() != HttpVersion.HTTP_2 || request.authority() == null) return null;
    var a = request.authority();
    String host = a.host().indexOf(':') >= 0 && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
    return a.port() >= 0 ? host + ":" + a.port() : host;
  }

  @Override public boolean isEnded() { return request.isEnded(); }
  @Override public void pause() { request.pause(); }
  @Override public void resume() { request.resume(); }

  @Override public void handler(Consumer<ByteBuf> onChunk) {
    request.handler(onChunk == null ? null : chunk -> onChunk.accept(Unpooled.wrappedBuffer(chunk.getBytes())));
  }

  @Override public void endHandler(Runnable onEnd) { request.endHandler(v -> onEnd.run()); }

  @Override public void exceptionHandler(Consumer<Throwable> onFailure) {
    request.exceptionHandler(e -> onFailure.accept(
        e instanceof io.vertx.core.http.HttpClosedException ? new ClientGoneException("client closed") : e));
  }

  @Override public boolean isWebSocketHandshake() { return request.canUpgradeToWebSocket(); }
  @Override public ClientResponse response() { return response; }
  @Override public RawStream switchProtocols() { throw new UnsupportedOperationException(); }
  @Override public void closeConnection() { request.connection().close(); }

  private static final class Response implements ClientResponse {
    private final HttpServerResponse response;
    private final HttpHeaders headers = new DefaultHttpHeaders(false);

    Response(HttpServerResponse response) {
      this.response = response;
    }

    @Override public int status() { return response.getStatusCode(); }
    @Override public void status(int code) { response.setStatusCode(code); }
    @Override public HttpHeaders headers() { return headers; }
    @Override public boolean headWritten() { return response.headWritten(); }
    @Override public boolean ended() { return response.ended(); }
    @Override public boolean closed() { return response.closed(); }
    @Override public void writeContinue() { response.writeContinue(); }
    @Override public void write(ByteBuf chunk) { throw new UnsupportedOperationException(); }
    @Override public boolean writeQueueFull() { return response.writeQueueFull(); }
    @Override public void drainHandler(Runnable onDrain) { response.drainHandler(v -> onDrain.run()); }
    @Override public Future<Void> end() { return response.end(); }
    @Override public Future<Void> end(ByteBuf last) { throw new UnsupportedOperationException(); }
    @Override public Future<Void> end(String body) { return response.end(body); }
    @Override public void reset() { response.reset(); }
    @Override public void closeHandler(Runnable onClose) { response.closeHandler(v -> onClose.run()); }
  }
}
