package io.gatehouse.config;

import io.gatehouse.core.PayloadCapture;
import java.util.List;
import java.util.Optional;

/**
 * One route. Routes are tried in file order and the first whose prefix matches the normalized path wins.
 *
 * @param match path prefixes
 * @param upstream pool name; empty for a route that only refuses ({@code deny: all})
 * @param allow source CIDRs let in; empty means nobody (deny by default)
 * @param deny source CIDRs refused even when allowed
 * @param denyAll {@code deny: all}: every request is refused with {@code route_denied}
 * @param rateLimits the route's token buckets, all of which a request must pass; empty for none
 * @param onStoreFailure what a rate-limited request gets while the Redis store cannot be reached
 * @param replayStoreDown what a signed webhook gets when the replay store cannot be reached
 * @param maxBody this route's largest request body, at most {@code server.max_body}; empty for the server's
 * @param bearer what a bearer token must carry on an {@code auth: bearer} route
 * @param breakGlass on an {@code auth: sso} route, where n8n's own password login still works for named accounts
 */
public record RouteConfig(
    String name,
    List<String> match,
    Optional<String> upstream,
    List<Cidr> allow,
    List<Cidr> deny,
    boolean denyAll,
    AuthMode auth,
    List<String> requireGroups,
    boolean requireMfa,
    List<RateLimitConfig> rateLimits,
    StoreFailure onStoreFailure,
    SignatureMode signature,
    PayloadCapture logPayloads,
    ReplayStoreDown replayStoreDown,
    Optional<Long> maxBody,
    Optional<BearerConfig> bearer,
    Optional<BreakGlass> breakGlass,
    AuditFailure onAuditFailure,
    List<String> logQuery) {

  public RouteConfig {
    java.util.Objects.requireNonNull(replayStoreDown, "replayStoreDown");
    java.util.Objects.requireNonNull(maxBody, "maxBody");
    match = List.copyOf(match);
    rateLimits = List.copyOf(rateLimits);
    java.util.Objects.requireNonNull(onStoreFailure, "onStoreFailure");
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    requireGroups = List.copyOf(requireGroups);
    java.util.Objects.requireNonNull(onAuditFailure, "onAuditFailure");
    logQuery = List.copyOf(logQuery);
  }

  /**
   * What a route does while the audit log cannot be written: {@code FAIL_CLOSED} answers 503
   * {@code audit_unavailable}; {@code FAIL_OPEN} serves and counts the entries it loses.
   */
  public enum AuditFailure { FAIL_CLOSED, FAIL_OPEN }

  /** How callers prove who they are. */
  public enum AuthMode { SSO, BEARER, N8N_API_KEY, NONE }

  /** Whether a webhook signature must be present. */
  public enum SignatureMode { REQUIRED, OPTIONAL, OFF }

  /**
   * A validly signed webhook whose delivery id cannot be checked against the replay store (Redis down or slow):
   * {@code REFUSE} fails closed (503 {@code store_unavailable} with {@code Retry-After}, so the sender retries
   * later); {@code ALLOW} lets it through unchecked for replays.
   */
  public enum ReplayStoreDown { REFUSE, ALLOW }

  /**
   * An {@code auth: bearer} route's token rules.
   *
   * @param issuer empty for {@code sso.issuer}
   * @param scopes every one must be granted
   */
  public record BearerConfig(Optional<java.net.URI> issuer, String audience, List<String> scopes) {
    public BearerConfig {
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * The way in when the IdP is down: from these sources only, a request without a Gatehouse session goes to n8n
   * as it is (n8n's own login), and n8n's password login is let through for these accounts only.
   *
   * @param allow the sources (bastion hosts); each must be inside the route's {@code allow}
   * @param users the n8n login emails, lower case (the owner's)
   */
  public record BreakGlass(List<Cidr> allow, List<String> users) {
    public BreakGlass {
      allow = List.copyOf(allow);
      users = List.copyOf(users);
    }
  }

  /**
   * A token bucket: {@code burst} is its size and it refills at {@code rate} (greedily: a token as soon as it is
   * due, not the whole rate at the end of each period).
   *
   * @param key what requests share one bucket
   * @param header the header whose value is the key, for {@link LimitKey#HEADER}; empty otherwise
   */
  public record RateLimitConfig(LimitKey key, Optional<String> header, Rate rate, long burst) {
    public RateLimitConfig {
      java.util.Objects.requireNonNull(key, "key");
      java.util.Objects.requireNonNull(header, "header");
      if ((key == LimitKey.HEADER) != header.isPresent()) throw new IllegalArgumentException("header: needs a name");
    }

    /** How the config writes the key: {@code client_ip}, {@code identity}, {@code route}, {@code header:NAME}. */
    public String keyText() {
      return key == LimitKey.HEADER ? "header:" + header.orElseThrow() : key.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What requests share a bucket: the client address (IPv6 by its network prefix), the authenticated identity (the
   * client address where there is none), the whole route, or a header's value.
   */
  public enum LimitKey { CLIENT_IP, IDENTITY, ROUTE, HEADER }

  /**
   * A rate-limited request while the shared store cannot be reached: {@code ALLOW} lets it through unlimited (counted),
   * {@code DENY} answers 503 {@code store_unavailable}.
   */
  public enum StoreFailure { ALLOW, DENY }
}
