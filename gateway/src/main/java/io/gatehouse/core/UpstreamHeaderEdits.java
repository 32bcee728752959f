package io.gatehouse.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an exchange changes in the request headers sent to n8n, beyond the gateway's fixed hygiene: credentials the
 * gateway consumed and must not pass on (its session cookie, an {@code Authorization} it verified) and headers it
 * asserts (who the user is). Guards record edits here; the forwarder applies them in one place
 * ({@code ForwardedHeaders}), after copying the client's headers and before the gateway-owned ones.
 *
 * <p>Confined to the exchange's event loop, like the exchange.
 */
public final class UpstreamHeaderEdits {
  /** One header set to a value, replacing any copy the client sent. */
  public record Replacement(String name, String value) {}

  private final List<String> removed = new ArrayList<>(0);
  private final List<String> removedCookies = new ArrayList<>(0);
  private final List<Replacement> set = new ArrayList<>(0);

  /** Drops every copy of the header. */
  public void remove(String name) {
    removed.add(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Drops one cookie (by exact name; a trailing {@code *} drops every cookie with that prefix) from the
   * {@code Cookie} header, keeping the others.
   */
  public void removeCookie(String cookieName) {
    removedCookies.add(cookieName);
  }

  /** Sets the header, replacing whatever the client sent under that name. */
  public void set(String name, String value) {
    set.add(new Replacement(name, value));
  }

  /** Whether the client's copies of this header (lower-case name) are not to be forwarded. */
  public boolean replaces(String lowerCaseName) {
    if (removed.contains(lowerCaseName)) return true;
    for (Replacement header : set) if (header.name().equalsIgnoreCase(lowerCaseName)) return true;
    return false;
  }

  public boolean isEmpty() {
    return removed.isEmpty() && removedCookies.isEmpty() && set.isEmpty();
  }

  public List<String> removed() { return removed; }
  public List<String> removedCookies() { return removedCookies; }
  public List<Replacement> set() { return set; }
}
