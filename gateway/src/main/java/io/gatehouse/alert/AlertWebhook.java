package io.gatehouse.alert;

import io.gatehouse.config.AlertsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs each alert as signed JSON ({@link AlertSignature}) to {@code alerts.webhook}, from a thread of its own and the
 * JDK's asynchronous client: never on a request's path, and {@link #send} never blocks the detector thread. At most
 * {@value #CAPACITY} alerts wait or are in flight (more are dropped and counted), {@value #IN_FLIGHT} POSTs at a time,
 * each given {@link #TIMEOUT}; a POST not answered 2xx is tried again after 1 s and then 5 s, and counted as failed
 * after its third attempt. Redirects are not followed: a signed alert goes where it was configured to go, or nowhere.
 */
public final class AlertWebhook {
  static final int CAPACITY = 1_000;
  static final int IN_FLIGHT = 4;
  static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final System.Logger LOG = System.getLogger(AlertWebhook.class.getName());

  private final URI target;
  private final AlertSignature signature;
  private final AlertEvents events;
  private final Clock clock;
  private final List<Duration> backoff;
  private final Duration timeout;
  private final int capacity;
  private final HttpClient client;
  private final ScheduledExecutorService thread;
  /** Alerts accepted and not yet delivered or given up. */
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closing;
  // Owned by the sender thread.
  private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
  private int inFlight;

  private record Delivery(String body, int attempt) {}

  /**
   * @param backoff the wait before each attempt after the first; one attempt more than it has entries
   */
  AlertWebhook(URI target, AlertSignature signature, AlertEvents events, Clock clock, List<Duration> backoff,
      Duration timeout, int capacity) {
    this.target = target;
    this.signature = signature;
    this.events = events;
    this.clock = clock;
    this.backoff = List.copyOf(backoff);
    this.timeout = timeout;
    this.capacity = capacity;
    // HTTP/1.1: what webhook receivers (n8n among them) speak, and no h2c upgrade offered on plain http to loopback.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-alert-webhook");
      t.setDaemon(true);
      return t;
    });
  }

  /** The sender for {@code config}, or none when it names no webhook. */
  public static Optional<AlertWebhook> forConfig(AlertsConfig config, AlertEvents events) {
    if (config.webhook().isEmpty()) return Optional.empty();
    AlertSignature signature = new AlertSignature(config.secret().orElseThrow().bytes());
    return Optional.of(
        new AlertWebhook(config.webhook().get(), signature, events, Clock.systemUTC(), BACKOFF, TIMEOUT, CAPACITY));
  }

  /** Queues the alert's POST; false, counted as dropped, when {@value #CAPACITY} are waiting or it is closing. */
  public boolean send(Alert alert, String id) {
    if (closing) {
      events.webhookDelivery(AlertEvents.DROPPED);
      return false;
    }
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      events.webhookDelivery(AlertEvents.DROPPED);
      return false;
    }
    String body = alert.json(id);
    try {
      thread.execute(() -> ready(new Delivery(body, 1)));
      return true;
    } catch (RejectedExecutionException closed) {
      finished(AlertEvents.DROPPED);
      return false;
    }
  }

  private void ready(Delivery delivery) {
    ready.add(delivery);
    while (inFlight < IN_FLIGHT && !ready.isEmpty()) attempt(ready.poll());
  }

  private void attempt(Delivery delivery) {
    inFlight++;
    // Signed at each attempt, so a retry carries a fresh timestamp that the receiver's age check accepts.
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout)
        .header("Content-Type", "application/json")
        .header(AlertSignature.TIMESTAMP_HEADER, timestamp)
        .header(AlertSignature.SIGNATURE_HEADER, signature.sign(timestamp, delivery.body()))
        .POST(HttpRequest.BodyPublishers.ofString(delivery.body()))
        .build();
    CompletableFuture<HttpResponse<Void>> call;
    try {
      call = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((response, error) -> onThread(() -> attempted(delivery, response, error)));
  }

  private void attempted(Delivery delivery, HttpResponse<Void> response, Throwable error) {
    inFlight--;
    if (error == null && response.statusCode() / 100 == 2) {
      finished(AlertEvents.DELIVERED);
    } else if (delivery.attempt() <= backoff.size()) {
      Delivery next = new Delivery(delivery.body(), delivery.attempt() + 1);
      thread.schedule(() -> ready(next), backoff.get(delivery.attempt() - 1).toMillis(), TimeUnit.MILLISECONDS);
    } else {
      // Neither the URL (it may carry a token) nor the alert: the audit entry has it.
      LOG.log(System.Logger.Level.WARNING, "alert webhook: gave up after " + delivery.attempt() + " attempts (last: "
          + (error == null ? "HTTP " + response.statusCode() : error.getClass().getName()) + ")");
      finished(AlertEvents.FAILED);
    }
    while (inFlight < IN_FLIGHT && !ready.isEmpty()) attempt(ready.poll());
  }

  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException stopped) {
      // close(grace) gave up on this delivery and counted it already.
    }
  }

  private void finished(String result) {
    events.webhookDelivery(result);
    if (pending.decrementAndGet() == 0 && closing) thread.shutdown();
  }

  /** Takes no more alerts; those accepted are still tried, and the thread ends after the last. Does not block. */
  public void close() {
    closing = true;
    if (pending.get() == 0) thread.shutdown();
  }

  /** As {@link #close()}, waiting up to {@code grace} for the alerts accepted; the rest are counted as failed. */
  public void close(Duration grace) {
    close();
    try {
      if (thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.shutdownNow();
    for (int left = pending.getAndSet(0); left > 0; left--) events.webhookDelivery(AlertEvents.FAILED);
  }
}
