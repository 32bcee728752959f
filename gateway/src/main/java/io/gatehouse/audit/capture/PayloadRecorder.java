package io.gatehouse.audit.capture;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.PayloadTaps;
import io.gatehouse.core.Route;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Payload capture for the whole process ({@code log_payloads}, docs/audit-log.md's {@code payload} entries). On the
 * event loop an exchange's bodies are only counted, hashed and copied up to {@code max_payload}
 * ({@link BodyTap}); when the exchange has been recorded, its copies go to a small pool of scrubbing workers, which
 * write the scrubbed pieces to the audit log after the exchange's {@code request} entry. So the forward path never
 * waits for the scrubber, and the request entry is never held back by it.
 *
 * <p>Bounded everywhere: the copies draw on one budget (an eighth of the heap by default); the workers' queue is
 * bounded, and a body no worker can take is logged by size and HMAC alone ({@code omitted: busy}). A body is never
 * logged unscrubbed, whatever fails: a scrubber error logs the body's size and HMAC ({@code omitted: error}) and the
 * exception's class, never its message (a parser's message quotes the input).
 */
public final class PayloadRecorder implements AutoCloseable {
  public static final String THREAD_NAME = "gatehouse-scrub";
  private static final System.Logger LOG = System.getLogger(PayloadRecorder.class.getName());
  private static final int QUEUE = 4096;
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  private final Consumer<AuditEvent> log;
  private final BodyBudget budget;
  private final PayloadEvents events;
  private final ScrubWorkers workers;

  /**
   * @param log where entries go ({@code AuditLog::write}: thread-safe, never blocks)
   * @param budget the allowance for bodies' copies waiting to be scrubbed, over all exchanges
   * @param threads scrubbing workers
   */
  public PayloadRecorder(Consumer<AuditEvent> log, BodyBudget budget, int threads, PayloadEvents events) {
    this.log = log;
    this.budget = budget;
    this.events = events;
    this.workers = new ScrubWorkers(THREAD_NAME, threads, QUEUE);
  }

  /**
   * The recorder a gateway runs with: an eighth of the heap for copies (with the production -Xmx128m, 16 MiB: 128
   * exchanges' bodies at the default 64 KiB, or any number of 1 KiB webhooks), and a worker per two cores, since
   * the event loops need the others.
   */
  public static PayloadRecorder forProcess(Consumer<AuditEvent> log, PayloadEvents events) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new PayloadRecorder(log, new BodyBudget(Runtime.getRuntime().maxMemory() / 8), threads, events);
  }

  /** Bytes of bodies copied and not yet scrubbed, over all exchanges. */
  public long bytesHeld() {
    return budget.used();
  }

  /**
   * Starts tapping the exchange's bodies, as its route's {@code log_payloads} asks, before it is forwarded; does
   * nothing for a route that logs none. {@code scrubber} is that of the config the request arrived under.
   */
  public void open(Exchange exchange, PayloadCapture mode, Scrubber scrubber) {
    if (mode == PayloadCapture.OFF || scrubber == null) return;
    exchange.payloadTaps(new ExchangeCapture(mode, scrubber, budget.reservation(), exchange.request().headers()));
  }

  /** Queues the exchange's payload entries, once its {@code request} entry has been written. On its event loop. */
  public void record(Exchange exchange) {
    if (!(exchange.payloadTaps() instanceof ExchangeCapture capture)) return;
    // Whatever still runs for the exchange taps nothing from here on.
    exchange.payloadTaps(PayloadTaps.NONE);
    List<CapturedBody> bodies = capture.finish();
    if (bodies.isEmpty()) {
      capture.release();
      return;
    }
    Instant time = exchange.startedAt();
    String requestId = exchange.requestId();
    String route = exchange.route().map(Route::name).orElse(null);
    if (!workers.offer(() -> scrub(time, requestId, route, bodies, capture))) {
      capture.release();
      for (CapturedBody body : bodies) unscrubbed(time, requestId, route, body, "busy");
    }
  }

  private void scrub(Instant time, String requestId, String route, List<CapturedBody> bodies, ExchangeCapture capture) {
    try {
      for (CapturedBody body : bodies) {
        ScrubResult result;
        List<PayloadEntry> entries;
        try {
          if (BodyDecoding.decodable(body.contentEncoding())) {
            BodyDecoding.Decoded decoded = BodyDecoding.decode(body.contentEncoding(), body.prefix(), body.length(),
                capture.scrubber().policy().maxPayload());
            result = scrubDecoded(capture.scrubber(), body, decoded);
            entries = PayloadPieces.of(time, requestId, route, body, result, decoded.length());
          } else {
            result = capture.scrubber().scrubCaptured(body.contentType(), body.contentEncoding() != null,
                body.prefix(), body.length(), body.size(), body.hmac());
            entries = PayloadPieces.of(time, requestId, route, body, result);
          }
        } catch (RuntimeException | StackOverflowError e) {
          LOG.log(Level.ERROR, "payload capture: the scrubber failed on the " + body.part().word() + " body of request "
              + requestId + " (" + e.getClass().getName() + "); only its size and HMAC are logged");
          unscrubbed(time, requestId, route, body, "error");
          continue;
        }
        entries.forEach(log);
        PayloadEntry first = entries.get(0);
        String outcome = first.omitted() != null ? "omitted" : first.truncatedAt() >= 0 ? "truncated" : "scrubbed";
        events.payloadLogged(body.part(), outcome, result.counts());
      }
    } finally {
      capture.release();
    }
  }

  /** A gzip or deflate body, scrubbed as what came out of it; by size and HMAC alone when nothing did. */
  private static ScrubResult scrubDecoded(Scrubber scrubber, CapturedBody body, BodyDecoding.Decoded decoded) {
    if (decoded.failed() && decoded.length() == 0) {
      return scrubber.scrubCaptured(body.contentType(), true, body.prefix(), 0, body.size(), body.hmac());
    }
    // A size one past what came out tells the scrubber that more followed, so it marks the text cut.
    boolean whole = decoded.whole() && !body.budgetSpent() && body.length() == body.size();
    long size = whole ? decoded.length() : decoded.length() + 1L;
    return scrubber.scrubCaptured(body.contentType(), false, decoded.bytes(), decoded.length(), size, body.hmac());
  }

  private void unscrubbed(Instant time, String requestId, String route, CapturedBody body, String why) {
    log.accept(PayloadPieces.unscrubbed(time, requestId, route, body, why));
    events.payloadLogged(body.part(), why, Map.of());
  }

  /** Lets the queued bodies be scrubbed and logged, for a few seconds at most; call before the audit log closes. */
  @Override
  public void close() {
    try {
      int lost = workers.close(CLOSE_GRACE_MILLIS);
      if (lost > 0) {
        LOG.log(Level.WARNING, "payload capture: " + lost + " exchange(s)' bodies were not scrubbed before shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
