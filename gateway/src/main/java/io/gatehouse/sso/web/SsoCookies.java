package io.gatehouse.sso.web;

import io.gatehouse.http.ClientRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * Gatehouse's cookies: the session, and one short-lived login cookie per login in progress (named after its state, so
 * two tabs logging in at once do not overwrite each other's). All {@code __Host-}: Secure, Path=/ and no Domain, so
 * no sibling subdomain can set or shadow them; HttpOnly; SameSite=Lax, so the IdP's redirect back (a top-level GET)
 * carries them and cross-site subrequests do not.
 */
public final class SsoCookies {
  public static final String SESSION = "__Host-gatehouse-session";
  public static final String LOGIN_PREFIX = "__Host-gatehouse-login-";
  /** n8n's own session cookie, cleared at logout so n8n's session ends with ours. */
  static final String N8N_AUTH = "n8n-auth";

  private SsoCookies() {}

  /** The login cookie of a login whose state is {@code state}: its first 12 characters name it. */
  static String loginCookieName(String state) {
    return LOGIN_PREFIX + state.substring(0, Math.min(12, state.length()));
  }

  /**
   * The value of the named cookie across all Cookie headers. Empty when absent, and also when it appears more than
   * once: a second copy means someone planted one (cookie tossing), and neither can be trusted to be ours.
   */
  static Optional<String> read(ClientRequest request, String name) {
    String found = null;
    for (String header : request.headers().getAll("Cookie")) {
      for (String pair : header.split(";")) {
        String crumb = pair.strip();
        int eq = crumb.indexOf('=');
        if (eq <= 0 || !crumb.substring(0, eq).strip().equals(name)) continue;
        if (found != null) return Optional.empty();
        found = crumb.substring(eq + 1).strip();
      }
    }
    return Optional.ofNullable(found).filter(v -> !v.isEmpty());
  }

  /** A Set-Cookie value; a null {@code maxAge} makes a browser-session cookie. */
  static String set(String name, String value, Duration maxAge) {
    return name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax"
        + (maxAge == null ? "" : "; Max-Age=" + maxAge.toSeconds());
  }

  public static String clear(String name) {
    return name + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
  }

  /** n8n sets its cookie without the {@code __Host-} prefix; cleared with the attributes n8n gives it. */
  static String clearN8n() {
    return N8N_AUTH + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  }
}
