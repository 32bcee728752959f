package io.gatehouse.guard.signature;

import io.gatehouse.config.RouteConfig.ReplayStoreDown;
import io.gatehouse.config.RouteConfig.SignatureMode;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.MalformedBodyException;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.guard.BodyReader;
import io.gatehouse.guard.replay.ReplayKeys;
import io.gatehouse.guard.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks a webhook delivery's signature before anything of it reaches n8n, on routes with {@code signature:
 * required} or {@code optional}. It finds the {@code webhooks:} entry for the normalized path, lets the entry's
 * scheme read the signature headers, reads the body (up to {@code max_body}) through the scheme's verification
 * and keeps it in the exchange for the forwarder, then refuses a delivery seen before.
 *
 * <p>The last guard of a route: the body is read only once cheaper checks (source, rate, auth) have passed.
 * <ul>
 *   <li>{@code required} and no entry for the path: 401 {@code signature_missing}, so a new n8n webhook stays closed
 *       until someone configures it. {@code optional} and no entry, or no signature headers: passes unverified.
 *   <li>Bad headers or timestamp: the scheme's code (401). Body over {@code max_body}: 413; over the buffered-body
 *       budget: 503 {@code overloaded}; slower than {@code request_body}: 408. No secret matches: 401
 *       {@code signature_invalid}. Never which secret or byte failed.
 *   <li>Valid: the replay key is recorded for twice the tolerance; if it was already there, 409 {@code replayed}.
 *       The store unreachable: the route's {@code replay_store_down}; by default 503 {@code store_unavailable} with
 *       {@code Retry-After}, so the sender retries the delivery later rather than treating it as a bug.
 * </ul>
 */
public final class WebhookSignatureGuard implements Guard {
  /** The shortest replay memory, for a tolerance of 0 (Redis refuses a zero PX). */
  private static final Duration MIN_REPLAY_TTL = Duration.ofSeconds(1);
  /**
   * Seconds a sender is asked to wait while the replay store is down: about how long a Redis restart or failover
   * takes. Senders that ignore it retry on their own schedule, which is fine too: nothing of the delivery was kept.
   */
  static final String STORE_DOWN_RETRY_AFTER = "5";

  private final SignatureMode mode;
  private final WebhookDirectory webhooks;
  private final ReplayStore replays;
  private final ReplayStoreDown whenStoreDown;
  private final long maxBody;
  private final BodyBudget budget;
  private final Duration bodyTimeout;
  private final Clock clock;
  private final WebhookSignatureEvents events;

  /**
   * @param maxBody the route's largest body
   * @param budget the process-wide allowance for bodies held in memory
   * @param bodyTimeout how long the whole body may take to arrive ({@code request_body})
   */
  public WebhookSignatureGuard(SignatureMode mode, WebhookDirectory webhooks, ReplayStore replays,
      ReplayStoreDown whenStoreDown, long maxBody, BodyBudget budget, Duration bodyTimeout, Clock clock,
      WebhookSignatureEvents events) {
    if (mode == SignatureMode.OFF) throw new IllegalArgumentException("signature: off has no guard");
    this.mode = mode;
    this.webhooks = webhooks;
    this.replays = replays;
    this.whenStoreDown = whenStoreDown;
    this.maxBody = maxBody;
    this.budget = budget;
    this.bodyTimeout = bodyTimeout;
    this.clock = clock;
    this.events = events;
  }

  /**
   * How long a replay key is remembered: a timestamp is accepted while within the tolerance either way of now, so a
   * delivery first seen with a timestamp at the future edge stays acceptable for up to twice the tolerance.
   * Remembering it for less would let a replay through at the end of that window.
   */
  public static Duration replayTtl(Duration tolerance) {
    Duration ttl = tolerance.multipliedBy(2);
    return ttl.compareTo(MIN_REPLAY_TTL) < 0 ? MIN_REPLAY_TTL : ttl;
  }

  @Override public Future<Verdict> check(Exchange exchange) {
    Optional<WebhookEndpoint> found = webhooks.find(exchange.path());
    if (found.isEmpty()) {
      if (mode == SignatureMode.OPTIONAL) return Verdict.PASS;
      return refuse(exchange, WebhookSignatureEvents.UNCONFIGURED, Reason.SIGNATURE_MISSING, "no webhooks entry");
    }
    WebhookEndpoint endpoint = found.get();
    var config = endpoint.config();
    var start =
        endpoint.scheme().begin(new HeadersAdaptor(exchange.request().headers()), endpoint.keys(), clock.instant(), config.tolerance());
    if (start instanceof SignatureScheme.Start.Refused refused) {
      // optional: an unsigned delivery goes on unverified; a signed one must still be right.
      if (mode == SignatureMode.OPTIONAL && refused.reason() == Reason.SIGNATURE_MISSING) return Verdict.PASS;
      return refuse(exchange, endpoint.path(), refused.reason(), refused.detail());
    }
    SignatureScheme.Verification verification = ((SignatureScheme.Start.Started) start).verification();
    return BodyReader.read(exchange, verification::update, maxBody, budget, bodyTimeout).transform(read -> {
      if (read.failed()) {
        if (read.cause() instanceof BodyReader.Refused refused) {
          return refuse(exchange, endpoint.path(), refused.reason(), refused.getMessage());
        }
        if (read.cause() instanceof MalformedBodyException malformed) {
          return refuse(exchange, endpoint.path(), malformed.reason(), malformed.getMessage());
        }
        return Future.failedFuture(read.cause());
      }
      if (!verification.verify()) {
        return refuse(exchange, endpoint.path(), Reason.SIGNATURE_INVALID, "no configured secret matches");
      }
      exchange.body(read.result());
      return checkReplay(exchange, endpoint, verification.replayKey());
    });
  }

  private Future<Verdict> checkReplay(Exchange exchange, WebhookEndpoint endpoint, String replayKey) {
    if (replayKey == null || replayKey.isEmpty()) {
      return refuse(exchange, endpoint.path(), Reason.GUARD_ERROR, "scheme gave no replay key");
    }
    String key = ReplayKeys.of(endpoint.config().scheme(), endpoint.path(), replayKey);
    Future<Boolean> first;
    try {
      first = replays.firstSeen(key, replayTtl(endpoint.config().tolerance()));
    } catch (RuntimeException e) {
      first = Future.failedFuture(e);
    }
    return first.transform(seen -> {
      if (seen.succeeded() && seen.result()) {
        // Recorded but not delivered if no n8n target accepts a connection: forget it so a retry is not a replay.
        exchange.onFailedDelivery(() -> replays.forget(key));
        events.webhookVerified(endpoint.path(), "ok");
        return Verdict.PASS;
      }
      if (seen.succeeded()) {
        return refuse(exchange, endpoint.path(), Reason.REPLAYED, "delivery seen within the replay window");
      }
      events.replayStoreError(replays.name());
      String why = "replay store " + replays.name() + " unavailable (" + seen.cause().getClass().getSimpleName() + ")";
      if (whenStoreDown == ReplayStoreDown.ALLOW) {
        exchange.detail(why + "; let through unchecked (replay_store_down: allow)");
        events.webhookVerified(endpoint.path(), WebhookSignatureEvents.UNCHECKED);
        return Verdict.PASS;
      }
      exchange.detail(why);
      events.webhookVerified(endpoint.path(), Reason.STORE_UNAVAILABLE.code());
      return Verdict.refuse(Reason.STORE_UNAVAILABLE, ResponseHeaders.of("Retry-After", STORE_DOWN_RETRY_AFTER));
    });
  }

  private Future<Verdict> refuse(Exchange exchange, String webhook, Reason reason, String detail) {
    exchange.detail(detail);
    events.webhookVerified(webhook, reason.code());
    return Verdict.refuse(reason);
  }
}
