package io.gatehouse.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Client threads that send GET requests back to back over keep-alive connections until stopped, counting every
 * 200 and recording anything else (another status, a connection error). For asserting that something done to a
 * running gateway, such as a config reload, costs no request.
 */
public final class SteadyLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong http1Ok = new AtomicLong();
  private final AtomicLong http2Ok = new AtomicLong();
  private volatile boolean running = true;

  /**
   * Starts {@code http1Threads} threads with a client each (HTTP/1.1 keep-alive) and {@code http2Threads} threads
   * sharing one HTTP/2 client (one multiplexed connection), all sending GET {@code url}.
   */
  public SteadyLoad(SSLContext trust, String url, int http1Threads, int http2Threads) {
    HttpClient http2 = client(trust, HttpClient.Version.HTTP_2);
    for (int i = 0; i < http1Threads + http2Threads; i++) {
      boolean h2 = i >= http1Threads;
      HttpClient client = h2 ? http2 : client(trust, HttpClient.Version.HTTP_1_1);
      Thread thread = new Thread(() -> loop(client, url + (url.contains("?") ? "&" : "?") + "client=", h2),
          "steady-load-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private static HttpClient client(SSLContext trust, HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(trust).version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private void loop(HttpClient client, String urlPrefix, boolean h2) {
    long n = 0;
    while (running) {
      String url = urlPrefix + Thread.currentThread().getName() + "-" + n++;
      try {
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          failures.add(response.version() + " " + url + " -> " + response.statusCode() + " " + response.body());
        } else if (response.version() == HttpClient.Version.HTTP_2) {
          http2Ok.incrementAndGet();
        } else {
          http1Ok.incrementAndGet();
        }
      } catch (IOException e) {
        failures.add((h2 ? "h2 " : "h1 ") + url + " -> " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops sending and waits for the requests in flight to end. */
  public void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) thread.join(15_000);
  }

  public long http1Ok() { return http1Ok.get(); }
  public long http2Ok() { return http2Ok.get(); }
  public List<String> failures() { return List.copyOf(failures); }

  @Override public void close() throws InterruptedException {
    stop();
  }
}
