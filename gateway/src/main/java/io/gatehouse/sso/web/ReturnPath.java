package io.gatehouse.sso.web;

import io.gatehouse.core.Exchange;

/**
 * Where a user goes after logging in: the page first asked for, and only ever a path on this gateway. The path is
 * the normalized one (no {@code //}, no backslash, no dot segments survive normalization) and is carried inside the
 * sealed login cookie, so it cannot be chosen by anyone else; {@link #isSafe} checks it again before it becomes a
 * {@code Location}, so a relative reference can never turn into another origin ({@code //evil}, {@code /\evil},
 * {@code https://evil}, control characters).
 */
final class ReturnPath {
  static final String HOME = "/";
  private static final int MAX_LENGTH = 2048;

  private ReturnPath() {}

  static String of(Exchange exchange) {
    String path = exchange.query() == null ? exchange.path() : exchange.path() + "?" + exchange.query();
    return isSafe(path) ? path : HOME;
  }

  static boolean isSafe(String path) {
    if (path == null || path.isEmpty() || path.length() > MAX_LENGTH) return false;
    if (path.charAt(0) != '/') return false;
    if (path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\')) return false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') return false;
    }
    // Gatehouse's own endpoints are not a destination (a login must not land on the callback or logout).
    return !path.regionMatches(true, 0, "/_gatehouse/", 0, 12);
  }
}
