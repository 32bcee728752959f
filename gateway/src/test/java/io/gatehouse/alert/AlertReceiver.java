package io.gatehouse.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP server on 127.0.0.1:0 standing in for an alert receiver: records every POST and answers with the
 * status its script gives for the n-th one (0 = the first).
 */
public final class AlertReceiver implements AutoCloseable {
  /** One POST as it arrived. */
  public record Post(Map<String, List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();

  public AlertReceiver(IntUnaryOperator statusOfPost) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/alerts", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      posts.add(new Post(Map.copyOf(exchange.getRequestHeaders()), body));
      int status = statusOfPost.applyAsInt(count.getAndIncrement());
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
  }

  public List<Post> posts() {
    return List.copyOf(posts);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
