package io.gatehouse.it;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP upstream on 127.0.0.1:0 standing in for n8n. It records every request it sees, so refusal tests
 * can assert that nothing reached it.
 *
 * <ul>
 *   <li>{@code /bytes?n=N} streams N bytes;</li>
 *   <li>{@code /upload} reads the body and answers its length (counting uploads cut before their end);</li>
 *   <li>{@code /echo-body} answers the request body as it came, with its {@code Content-Type} and
 *       {@code Content-Encoding};</li>
 *   <li>{@code /slow?ms=N} answers after N ms;</li>
 *   <li>{@code /stall} stops reading the request body and never answers (TCP pushes back on the sender);</li>
 *   <li>{@code /pause-response?ms=N} sends the head and a first chunk, pauses N ms, then sends the rest;</li>
 *   <li>{@code /sse?n=N} sends N server-sent events 50 ms apart;</li>
 *   <li>{@code /ws} is a WebSocket echo (text frames back as text, binary as binary); the text {@code close} makes it
 *       close the WebSocket instead;</li>
 *   <li>{@code /ws-chatty?gap=MS} is that echo, and also sends a text message {@code tick-N ...} every MS ms;</li>
 *   <li>{@code /ws-fragments?n=N&gap=MS} is that echo, after sending one text message {@link #fragmented(int)} as N
 *       fragments MS ms apart;</li>
 *   <li>{@code /ws-refuse} refuses the WebSocket upgrade with 403, as n8n does for a bad push origin;</li>
 *   <li>a path ending in {@code /fail-503} answers 503, as a failing n8n would;</li>
 *   <li>anything else answers JSON describing the request (method, uri, headers).</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {
  /** What the upstream saw of one request. */
  public record Seen(String method, String uri, Map<String, List<String>> headers) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase());
      return values == null ? null : values.get(0);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final AtomicLong uploadedBytes = new AtomicLong();
  private final AtomicLong streamedBytes = new AtomicLong();
  private final AtomicLong uploadsCut = new AtomicLong();
  private final AtomicInteger webSocketsOpened = new AtomicInteger();
  private final AtomicInteger webSocketsClosed = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> pongs = new ConcurrentLinkedQueue<>();
  private final int port;

  public TestUpstream(Vertx vertx) {
    this(vertx, 0);
  }

  /** An upstream on a given port: a test can close one and bring another back where the gateway expects it. */
  public TestUpstream(Vertx vertx, int port) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer(new HttpServerOptions().setPerMessageWebSocketCompressionSupported(true))
        .requestHandler(this::handle);
    this.port = server.listen(port, "127.0.0.1").await().actualPort();
  }

  public int port() { return port; }
  public String url() { return "http://127.0.0.1:" + port; }
  public List<Seen> seen() { return List.copyOf(seen); }
  public void clear() { seen.clear(); pongs.clear(); }
  public long uploadedBytes() { return uploadedBytes.get(); }
  /** Bytes {@code /bytes} has written so far: with back-pressure, no more than the client has taken plus buffers. */
  public long streamedBytes() { return streamedBytes.get(); }
  /** {@code /upload} requests whose body never ended because the gateway reset or closed them. */
  public long uploadsCut() { return uploadsCut.get(); }
  /** WebSockets this upstream accepted on {@code /ws} and the other {@code /ws-} endpoints that echo. */
  public int webSocketsOpened() { return webSocketsOpened.get(); }
  /** Of those, how many have closed (from either side). */
  public int webSocketsClosed() { return webSocketsClosed.get(); }
  /** Payloads of the PONG frames the WebSocket endpoints received, since the last {@link #clear()}. */
  public List<String> pongs() { return List.copyOf(pongs); }

  /** What {@code /ws-fragments} sends, split into its fragments. */
  public static String fragmented(int fragments) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < fragments; i++) text.append("fragment-").append(i).append(';');
    return text.toString();
  }

  private void handle(HttpServerRequest request) {
    Map<String, List<String>> headers = new java.util.TreeMap<>();
    request.headers().forEach((k, v) -> headers.computeIfAbsent(k.toLowerCase(), x -> new java.util.ArrayList<>()).add(v));
    seen.add(new Seen(request.method().name(), request.uri(), headers));
    String path = request.path();
    if (path.endsWith("/fail-503")) {
      request.body().onSuccess(body -> request.response().setStatusCode(503).end("n8n is failing"));
    } else if (path.equals("/ws")) {
      request.toWebSocket().onSuccess(ws -> echo(ws, () -> { }));
    } else if (path.equals("/ws-chatty")) {
      long gap = Long.parseLong(request.getParam("gap"));
      request.toWebSocket().onSuccess(ws -> {
        long[] n = {0};
        long timer = vertx.setPeriodic(gap, id -> {
          if (!ws.isClosed()) ws.writeTextMessage("tick-" + n[0]++ + " " + "n8n push event payload ".repeat(20));
        });
        echo(ws, () -> vertx.cancelTimer(timer));
      });
    } else if (path.equals("/ws-fragments")) {
      int fragments = Integer.parseInt(request.getParam("n"));
      long gap = Long.parseLong(request.getParam("gap"));
      request.toWebSocket().onSuccess(ws -> {
        echo(ws, () -> { });
        for (int i = 0; i < fragments; i++) {
          String part = "fragment-" + i + ";";
          WebSocketFrame frame = i == 0 ? WebSocketFrame.textFrame(part, fragments == 1)
              : WebSocketFrame.continuationFrame(Buffer.buffer(part), i == fragments - 1);
          vertx.setTimer(1 + i * gap, t -> ws.writeFrame(frame));
        }
      });
    } else if (path.equals("/ws-refuse")) {
      request.response().setStatusCode(403).putHeader("Content-Type", "text/plain").end("origin refused");
    } else if (path.equals("/bytes")) {
      streamBytes(request, Long.parseLong(request.getParam("n")));
    } else if (path.equals("/echo-body")) {
      request.body().onSuccess(body -> {
        var response = request.response();
        String type = request.getHeader("Content-Type");
        String encoding = request.getHeader("Content-Encoding");
        if (type != null) response.putHeader("Content-Type", type);
        if (encoding != null) response.putHeader("Content-Encoding", encoding);
        response.end(body);
      });
    } else if (path.equals("/upload")) {
      AtomicLong count = new AtomicLong();
      request.handler(b -> count.addAndGet(b.length()));
      request.endHandler(v -> {
        uploadedBytes.addAndGet(count.get());
        request.response().end(Long.toString(count.get()));
      });
      // Vert.x reports a connection dropped mid-body as a request exception or only as the connection closing,
      // depending on timing: either one counts, once.
      java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
      Runnable countCut = () -> {
        if (!request.isEnded() && cut.compareAndSet(false, true)) uploadsCut.incrementAndGet();
      };
      request.exceptionHandler(e -> countCut.run());
      request.connection().closeHandler(v -> countCut.run());
    } else if (path.equals("/stall")) {
      request.pause();
    } else if (path.equals("/slow")) {
      vertx.setTimer(Long.parseLong(request.getParam("ms")), t -> request.response().end("slow"));
    } else if (path.equals("/sse")) {
      String gap = request.getParam("gap");
      sse(request, Integer.parseInt(request.getParam("n")), gap == null ? 50 : Long.parseLong(gap));
    } else if (path.equals("/pause-response")) {
      // The head and a first chunk at once, then nothing for ms, then the rest: a body that stalls mid-way.
      var response = request.response().setChunked(true).putHeader("Content-Type", "text/plain");
      response.write("first;");
      vertx.setTimer(Long.parseLong(request.getParam("ms")), t -> response.end("last"));
    } else {
      request.body().onSuccess(body -> {
        JsonObject out = new JsonObject()
            .put("method", request.method().name())
            .put("uri", request.uri())
            .put("bodyLength", body.length())
            .put("bodySha256", sha256(body.getBytes()));
        JsonObject h = new JsonObject();
        headers.forEach((k, v) -> h.put(k, String.join(",", v)));
        out.put("headers", h);
        request.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Server", "n8n-test")
            .putHeader("X-Powered-By", "Express")
            .end(out.encode());
      });
    }
  }

  private void echo(ServerWebSocket ws, Runnable onClose) {
    webSocketsOpened.incrementAndGet();
    ws.closeHandler(v -> { webSocketsClosed.incrementAndGet(); onClose.run(); });
    ws.pongHandler(payload -> pongs.add(payload.toString()));
    // "close" makes the upstream end the WebSocket itself, as n8n does when it shuts down a push channel.
    ws.textMessageHandler(text -> {
      if (text.equals("close")) ws.close();
      else ws.writeTextMessage(text);
    });
    ws.binaryMessageHandler(ws::writeBinaryMessage);
  }

  private void streamBytes(HttpServerRequest request, long total) {
    var response = request.response().setChunked(true);
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    new Object() {
      long left = total;

      void pump() {
        while (left > 0 && !response.writeQueueFull()) {
          int n = (int) Math.min(left, chunk.length());
          response.write(n == chunk.length() ? chunk : chunk.slice(0, n));
          streamedBytes.addAndGet(n);
          left -= n;
        }
        if (left == 0) response.end();
        else response.drainHandler(v -> pump());
      }
    }.pump();
  }

  private void sse(HttpServerRequest request, int events, long gapMillis) {
    var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
    response.write(": open\n\n");
    long[] sent = {0};
    vertx.setPeriodic(gapMillis, id -> {
      response.write("data: event-" + sent[0] + "\n\n");
      if (++sent[0] == events) {
        vertx.cancelTimer(id);
        response.end();
      }
    });
  }

  /** Hex SHA-256, so a test can check the upstream saw a body byte for byte. */
  public static String sha256(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void close() {
    server.close().await();
  }
}
