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
 * @param rateLimit empty when the route has none
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
    Optional<RateLimitConfig> rateLimit,
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
   * {@code REFUSE} fails closed (500 {@code guard_error}, so the sender retries later); {@code ALLOW} lets it
   * through unchecked for replays.
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

  /** A token bucket: {@code rate} refills, {@code burst} is the bucket size. */
  public record RateLimitConfig(String key, Rate rate, long burst) {}
}
