package io.gatehouse.audit;

import java.util.List;
import java.util.Locale;

/**
 * Masks query values before a query string reaches the audit log: all but those a route lists, and always those
 * whose names look like credentials.
 * OAuth callbacks ({@code code}, {@code state}), signed links ({@code sig}, {@code signature}) and API keys in
 * query strings would otherwise turn the audit log into a credential store.
 */
public final class QueryRedactor {
  /** Written in place of a secret value. */
  public static final String REDACTED = "REDACTED";

  /**
   * Matched as case-insensitive substrings of the (percent-decoded) parameter name, so {@code X-Api-Key},
   * {@code client_secret} and {@code refresh_token} are caught too. Over-matching (e.g. {@code zipcode}) only
   * costs a little log detail; under-matching leaks a credential.
   */
  private static final List<String> SECRET_NAME_PARTS = List.of(
      "token", "key", "secret", "password", "signature", "sig", "code", "state", "auth", "api_key", "apikey",
      "access_token", "id_token", "jwt", "session");

  private QueryRedactor() {}

  /**
   * Returns {@code rawQuery} (without the leading {@code ?}) with every value replaced by {@value #REDACTED} but
   * those of parameters named in {@code logged} (the route's {@code log_query}; compared after percent-decoding),
   * and even those when the name looks like a credential. Names, order and encoding are kept as sent. Null stays
   * null. A query value is as likely to be a patient's name as anything else, so the default is to keep none.
   */
  public static String redact(String rawQuery, java.util.Set<String> logged) {
    if (rawQuery == null || rawQuery.isEmpty()) return rawQuery;
    StringBuilder out = new StringBuilder(rawQuery.length());
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) end = rawQuery.length();
      String pair = rawQuery.substring(start, end);
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && (!logged.contains(decodeLeniently(name)) || looksSecret(name))) {
        out.append(name).append('=').append(REDACTED);
      } else {
        out.append(pair);
      }
      if (end < rawQuery.length()) out.append('&');
      start = end + 1;
    }
    return out.toString();
  }

  private static boolean looksSecret(String encodedName) {
    String name = decodeLeniently(encodedName).toLowerCase(Locale.ROOT);
    for (String part : SECRET_NAME_PARTS) {
      if (name.contains(part)) return true;
    }
    return false;
  }

  /**
   * Decodes {@code %XX} and {@code +} so {@code %74oken} is recognised as {@code token}; malformed escapes are
   * kept literally rather than failing, because the log must never reject a request the gateway already served.
   */
  private static String decodeLeniently(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.append(' ');
      } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.append((char) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
