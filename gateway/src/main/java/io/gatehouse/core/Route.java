package io.gatehouse.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A route: the path prefixes it claims, the guards a request must pass, and where a request that passes goes.
 *
 * @param target an upstream pool, one of Gatehouse's own endpoints, or nothing (a route that only refuses)
 * @param logPayloads which bodies the audit log may hold, scrubbed
 * @param maxBody the largest request body this route takes: its own {@code max_body} or the server's
 * @param audit what the route does while the audit log cannot be written, and which query values it logs
 * @param role what kind of traffic the route carries, for detectors that learn its usual shape
 */
public record Route(
    String name, List<String> prefixes, GuardChain guards, Target target, PayloadCapture logPayloads, long maxBody,
    AuditPolicy audit, Role role) {

  /**
   * What a route serves: {@code EDITOR} people signed in through SSO, {@code API} programs with a token or key,
   * {@code WEBHOOK} deliveries from outside (a route that checks signatures, or claims n8n's webhook and form
   * paths), {@code OTHER} anything else (the gateway's own endpoints among them).
   */
  public enum Role { EDITOR, API, WEBHOOK, OTHER }

  /**
   * @param failClosed whether requests are refused (503 {@code audit_unavailable}) while the log cannot be written
   * @param logQuery query parameter names whose values the audit log keeps (others are written as REDACTED)
   */
  public record AuditPolicy(boolean failClosed, java.util.Set<String> logQuery) {
    public static final AuditPolicy DEFAULT = new AuditPolicy(true, java.util.Set.of());

    public AuditPolicy {
      logQuery = java.util.Set.copyOf(logQuery);
    }
  }

  /** A route with the default audit policy (fail closed, no query values) and role {@code OTHER}. */
  public Route(String name, List<String> prefixes, GuardChain guards, Target target, PayloadCapture logPayloads,
      long maxBody) {
    this(name, prefixes, guards, target, logPayloads, maxBody, AuditPolicy.DEFAULT, Role.OTHER);
  }

  /** Where a request that passed the guards goes. */
  public sealed interface Target {
    /** Forwarded to the named upstream pool. */
    record Upstream(String pool) implements Target {}

    /** Answered by the gateway itself. */
    record Local(LocalEndpoint endpoint) implements Target {}

    /** Nowhere: every request is refused by the route's guards (a deny rule). */
    record Refusing() implements Target {}
  }

  /** The upstream pool's name, for a forwarding route. */
  public Optional<String> upstream() {
    return target instanceof Target.Upstream upstream ? Optional.of(upstream.pool()) : Optional.empty();
  }

  public Route {
    java.util.Objects.requireNonNull(role, "role");
    prefixes = prefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * Prefix match, ASCII case-insensitive because n8n's router (Express) matches paths case-insensitively: a
   * case-sensitive gateway would let {@code /WEBHOOK-TEST/x} past a rule written for {@code /webhook-test/}.
   * A prefix ending in {@code /} also claims the bare path without it ({@code /rest} for {@code /rest/}), which
   * Express's non-strict routing treats alike.
   */
  public boolean matches(String normalizedPath) {
    String path = normalizedPath.toLowerCase(Locale.ROOT);
    for (String prefix : prefixes) {
      if (path.startsWith(prefix)) return true;
      if (prefix.length() > 1 && prefix.endsWith("/") && path.equals(prefix.substring(0, prefix.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
