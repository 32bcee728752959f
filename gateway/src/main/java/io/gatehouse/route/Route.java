package io.gatehouse.route;

import io.gatehouse.guard.GuardChain;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A route: the path prefixes it claims, the guards a request must pass, and the upstream pool it goes to.
 *
 * @param upstream empty for a route that only refuses
 * @param logPayloads whether scrubbed bodies may go to the audit log
 * @param maxBody the largest request body this route takes: its own {@code max_body} or the server's
 */
public record Route(
    String name, List<String> prefixes, GuardChain guards, Optional<String> upstream, boolean logPayloads,
    long maxBody) {

  public Route {
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
