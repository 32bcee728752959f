package io.gatehouse.guard.ratelimit;

import io.gatehouse.config.RouteConfig.StoreFailure;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a token from each of a route's buckets (checked together: one store call, one Redis round trip) and
 * refuses 429 {@code rate_limited} when one is empty. A route has one of these before authentication, for the keys
 * known from the request alone, and one after it for {@code identity} keys.
 *
 * <p>When the shared store cannot answer, the route's {@code on_store_failure} decides: {@code allow} lets the
 * request through unlimited, {@code deny} answers 503 {@code store_unavailable}; both are counted.
 */
public final class RateLimitGuard implements Guard {
  /** How soon a refused caller is asked to come back while the store is down: about a Redis failover. */
  static final String STORE_DOWN_RETRY_AFTER = "5";

  private final List<LimitPolicy> policies;
  private final List<String> policyFields;
  private final List<RateLimitEvents.Checks> checks;
  private final BucketStore store;
  private final LimitKeys keys;
  private final String route;
  private final StoreFailure onStoreFailure;
  private final RateLimitEvents events;

  /**
   * @param store the store in use (kept across reloads by the gateway, so a reload forgets no bucket)
   */
  public RateLimitGuard(String route, List<LimitPolicy> policies, BucketStore store, LimitKeys keys,
      StoreFailure onStoreFailure, RateLimitEvents events) {
    if (policies.isEmpty()) throw new IllegalArgumentException("a rate-limit guard needs a policy");
    this.route = route;
    this.policies = List.copyOf(policies);
    this.policyFields = this.policies.stream().map(RateLimitHeaders::policy).toList();
    this.checks = this.policies.stream().map(p -> events.checks(route, p.keyType())).toList();
    this.store = store;
    this.keys = keys;
    this.onStoreFailure = onStoreFailure;
    this.events = events;
  }

  public List<LimitPolicy> policies() {
    return policies;
  }

  @Override
  public Future<Verdict> check(Exchange exchange) {
    List<String> bucketKeys = new ArrayList<>(policies.size());
    for (LimitPolicy policy : policies) bucketKeys.add(keys.key(policy, exchange));
    Future<Decision> decision = store.take(policies, bucketKeys);
    // The local store answers at once: then no callback and no second future on the request path.
    if (decision.succeeded()) return decide(decision.result());
    return decision.compose(this::decide, failure -> storeDown());
  }

  private Future<Verdict> decide(Decision decision) {
    if (!decision.allowed()) return Future.succeededFuture(refusal(decision));
    for (RateLimitEvents.Checks c : checks) c.allowed();
    return Verdict.PASS;
  }

  private Verdict refusal(Decision decision) {
    int index = policies.indexOf(decision.policy());
    checks.get(index).limited();
    return new Verdict.Refuse(Reason.RATE_LIMITED.status(), Reason.RATE_LIMITED,
        RateLimitHeaders.refusal(decision, policyFields.get(index)));
  }

  private Future<Verdict> storeDown() {
    boolean allow = onStoreFailure == StoreFailure.ALLOW;
    events.storeError(store.name(), route, allow ? "allow" : "deny");
    return allow ? Verdict.PASS
        : Verdict.refuse(Reason.STORE_UNAVAILABLE, ResponseHeaders.of("Retry-After", STORE_DOWN_RETRY_AFTER));
  }
}
