package io.gatehouse.route;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns the request target as received into the one canonical path that is both matched against routes and
 * forwarded to n8n (DESIGN.md §1). A proxy that matches one spelling of a path and forwards another lets a client
 * pick the spelling that slips past a rule: {@code /webhook/..%2fwebhook-test/x} matching {@code /webhook/} here
 * but reaching {@code /webhook-test/x} upstream. So every spelling that could be read two ways is refused rather
 * than guessed at, and what is kept is rewritten to a single form. That includes spellings n8n itself would read
 * one way but another backend or library another: percent-decoded bytes that are not valid UTF-8, {@code ;}
 * path parameters, and segments ending in {@code .} or a space.
 *
 * <p>Pure and thread-safe: no shared state.
 */
public final class PathNormalizer {

  /** Longer targets are refused: no legitimate n8n URL comes close, and it bounds the work per request. */
  public static final int MAX_TARGET_LENGTH = 8192;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathNormalizer() {}

  /**
   * Normalizes an origin-form target ({@code /path?query}) as it arrived on the request line or in {@code :path}.
   * Each char is one octet of the request line (Netty decodes it as ISO-8859-1), so a char above 0x7E is a raw
   * non-ASCII byte.
   */
  public static Normalized normalize(String requestTarget) {
    if (requestTarget == null || requestTarget.isEmpty()) return rejected("empty request target");
    int length = requestTarget.length();
    // Bounds memory and CPU per request before any other work; Netty's own line limit may be lower.
    if (length > MAX_TARGET_LENGTH) return rejected("request target longer than " + MAX_TARGET_LENGTH + " bytes");
    // Asterisk-form (OPTIONS *) and anything else not rooted at "/" has no path to route on.
    if (requestTarget.charAt(0) != '/') return rejected("request target does not start with '/'");

    int queryStart = requestTarget.indexOf('?');
    int pathEnd = queryStart < 0 ? length : queryStart;
    String rawQuery = null;
    if (queryStart >= 0) {
      rawQuery = requestTarget.substring(queryStart + 1);
      String problem = queryProblem(rawQuery);
      if (problem != null) return rejected(problem);
    }
    return normalizePath(requestTarget, pathEnd, rawQuery);
  }

  /**
   * Normalizes a target in origin-form or in absolute-form ({@code http://host:port/path?query}, RFC 9112 §3.2.2,
   * which HTTP/1.1 servers must accept). The authority of an absolute-form target is dropped here; compare it with
   * {@code Host} through {@link #absoluteFormAuthority(String)} (RequestHygiene does). Authority-form
   * ({@code CONNECT host:port}) and other schemes are refused: the gateway is not a forward proxy.
   */
  public static Normalized normalizeTarget(String requestTarget) {
    if (requestTarget == null || requestTarget.isEmpty()) return rejected("empty request target");
    if (requestTarget.charAt(0) == '/') return normalize(requestTarget);
    int afterScheme = schemeEnd(requestTarget);
    if (afterScheme < 0) return rejected("request target is neither origin-form nor http(s) absolute-form");
    if (requestTarget.length() > MAX_TARGET_LENGTH) {
      return rejected("request target longer than " + MAX_TARGET_LENGTH + " bytes");
    }
    int authorityEnd = authorityEnd(requestTarget, afterScheme);
    String authority = requestTarget.substring(afterScheme, authorityEnd);
    if (authority.isEmpty()) return rejected("absolute-form target with an empty authority");
    // Userinfo in a request target is deprecated (RFC 9110 §4.2.4) and a classic way to make a log or a
    // naive parser read "trusted.example@evil.example" as the trusted host.
    if (authority.indexOf('@') >= 0) return rejected("absolute-form target with userinfo");
    String rest = requestTarget.substring(authorityEnd);
    if (rest.isEmpty() || rest.charAt(0) != '/') rest = "/" + rest; // "http://h" and "http://h?q" mean path "/"
    return normalize(rest);
  }

  /**
   * The authority ({@code host[:port]}, as sent) of an http or https absolute-form target; empty for any other
   * form. Never resolves the name.
   */
  public static Optional<String> absoluteFormAuthority(String requestTarget) {
    if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) == '/') return Optional.empty();
    int afterScheme = schemeEnd(requestTarget);
    if (afterScheme < 0) return Optional.empty();
    return Optional.of(requestTarget.substring(afterScheme, authorityEnd(requestTarget, afterScheme)));
  }

  /** Index just past {@code http://} or {@code https://} (scheme case-insensitive), or -1. */
  private static int schemeEnd(String target) {
    String lower = target.length() > 8 ? target.substring(0, 8).toLowerCase(Locale.ROOT) : target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) return 7;
    if (lower.startsWith("https://")) return 8;
    return -1;
  }

  private static int authorityEnd(String target, int from) {
    int i = from;
    while (i < target.length() && "/?#".indexOf(target.charAt(i)) < 0) i++;
    return i;
  }

  /**
   * The query is forwarded byte for byte (n8n parses it; re-encoding it would change webhook signatures computed
   * over the URL), so only bytes that can never be part of a well-formed request line are refused: controls and
   * NUL could truncate or split the line in a less careful upstream parser (request splitting), a space would
   * end the request-target, and raw non-ASCII means the client skipped percent-encoding.
   */
  private static String queryProblem(String rawQuery) {
    for (int i = 0; i < rawQuery.length(); i++) {
      char c = rawQuery.charAt(i);
      if (c <= 0x20 || c == 0x7F) return "control byte or space in query";
      if (c > 0x7E) return "raw non-ASCII byte in query";
      // A fragment is never sent by a client; a '#' in the target means a tool built it wrongly or someone
      // hopes the upstream reads it differently from us.
      if (c == '#') return "'#' in request target";
    }
    return null;
  }

  /**
   * One pass over the path: decode or canonicalize each escape, refuse ambiguous octets, and resolve segments as
   * they end (RFC 3986 §5.2.4 semantics). {@code out} holds the path built so far without a trailing slash;
   * {@code starts} remembers where each kept segment begins so that ".." can drop it.
   */
  private static Normalized normalizePath(String target, int pathEnd, String rawQuery) {
    StringBuilder out = new StringBuilder(pathEnd);
    StringBuilder segment = new StringBuilder();
    int[] starts = new int[pathEnd / 2 + 1];
    int depth = 0;
    boolean trailingSlash = false;
    Utf8Sequence utf8 = new Utf8Sequence();

    for (int i = 1; i <= pathEnd; i++) { // index 0 is the leading '/'
      if (i == pathEnd || target.charAt(i) == '/') {
        if (!utf8.complete()) return rejected("truncated UTF-8 sequence in path");
        boolean last = i == pathEnd;
        String s = segment.toString();
        segment.setLength(0);
        if (s.equals("..")) {
          // Clamping "/.." to "/" (as browsers do) would hide a traversal attempt and differ from servers that
          // refuse; there is no legitimate reason for a client to climb above the root, so refuse.
          if (depth == 0) return rejected("'..' segment climbs above the root");
          out.setLength(starts[--depth]);
          trailingSlash = last;
        } else if (s.isEmpty() || s.equals(".")) {
          // Runs of '/' collapse to one: "//rest" must not dodge a "/rest/" rule while Express still serves it.
          // A final empty or "." segment means the path ends with '/', which is kept as sent.
          trailingSlash = last;
        } else if (s.endsWith(".") || s.endsWith("%20")) {
          // Windows file APIs (and backends that map paths to files on them) drop a trailing '.' or space, so
          // "/webhook/x." or "/rest/a%2E/b" would be read as "x" or "a". n8n never builds such a segment.
          return rejected("path segment ends in '.' or a space");
        } else {
          starts[depth++] = out.length();
          out.append('/').append(s);
          trailingSlash = false;
        }
        continue;
      }

      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= pathEnd) return rejected("truncated percent-escape in path");
        int hi = Character.digit(target.charAt(i + 1), 16);
        int lo = Character.digit(target.charAt(i + 2), 16);
        // Character.digit accepts non-ASCII digits too; the raw-byte check below never saw these two chars.
        if (hi < 0 || lo < 0 || target.charAt(i + 1) > 0x7E || target.charAt(i + 2) > 0x7E) {
          return rejected("invalid percent-escape in path");
        }
        int octet = hi * 16 + lo;
        i += 2;
        // n8n decodes the path as UTF-8; a byte string that is not UTF-8 (or an overlong form such as %C0%AE
        // for '.') decodes differently, or to U+FFFD, in each library that reads it.
        if (!utf8.accept(octet)) return rejected("invalid or overlong UTF-8 in path");
        if (octet == ';') {
          return rejected("';' path parameter in path");
        }
        if (octet == '/' || octet == '\\') {
          // %2F and %5C are read as a separator by some servers and as data by others (Express decodes route
          // params, so "/webhook-test/..%2f" can become a traversal after we matched). Refuse, never guess.
          return rejected("encoded '/' or '\\' in path");
        }
        if (octet < 0x20 || octet == 0x7F) {
          // An encoded NUL or CR/LF truncates strings or splits headers in whatever decodes it later.
          return rejected("encoded control byte in path");
        }
        if (isUnreserved(octet)) {
          // %61 and 'a' are the same resource (RFC 3986 §6.2.2.2): decode so "/%61pi/v1/" is matched as "/api/v1/"
          // and a "%2e%2e" segment is resolved as ".." here, not later by n8n after we routed it.
          segment.append((char) octet);
        } else {
          // Everything else stays encoded, so %3F, %23 and %25 can never turn into a query, fragment or a second
          // round of decoding ("%252e" stays "%252e", it is not decoded twice into ".").
          segment.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
        }
        continue;
      }
      if (c < 0x20 || c == 0x7F) return rejected("control byte in path");
      if (c == ' ') return rejected("space in path");
      // Raw bytes >= 0x80 are read as Latin-1 by one parser and UTF-8 by another; clients must percent-encode.
      if (c > 0x7E) return rejected("raw non-ASCII byte in path");
      // Windows-style separators: some stacks (and URL parsers that follow WHATWG) turn '\' into '/'.
      if (c == '\\') return rejected("backslash in path");
      if (c == '#') return rejected("'#' in request target");
      // Path parameters: Express has none, but Java servers and Spring strip "/..;/" or ";jsessionid=" before
      // routing (Tomcat's "/..;/" bypass), so a lenient backend reads another path than we matched. n8n never
      // puts ';' in a path; in the query it is data and passes.
      if (c == ';') return rejected("';' path parameter in path");
      if (!utf8.accept(c)) return rejected("truncated UTF-8 sequence in path");
      segment.append(c);
    }

    if (depth == 0) return new Normalized.Ok("/", rawQuery);
    if (trailingSlash) out.append('/');
    return new Normalized.Ok(out.toString(), rawQuery);
  }

  /**
   * Checks the percent-decoded octets of the path as UTF-8 (RFC 3629 §4), one octet at a time: only shortest
   * forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, and no sequence cut short by an ASCII octet or
   * the end of a segment. Local to one call: holds where the current sequence stands.
   */
  private static final class Utf8Sequence {
    private int pending;
    private int low = 0x80;
    private int high = 0xBF;

    boolean complete() {
      return pending == 0;
    }

    boolean accept(int octet) {
      if (pending > 0) {
        if (octet < low || octet > high) return false;
        pending--;
        low = 0x80;
        high = 0xBF;
        return true;
      }
      if (octet < 0x80) return true;
      // The second octet's range rules out overlong forms (E0, F0), surrogates (ED) and code points past
      // U+10FFFF (F4); C0, C1 and F5..FF never start a sequence.
      if (octet >= 0xC2 && octet <= 0xDF) {
        pending = 1;
      } else if (octet >= 0xE0 && octet <= 0xEF) {
        pending = 2;
        if (octet == 0xE0) low = 0xA0;
        if (octet == 0xED) high = 0x9F;
      } else if (octet >= 0xF0 && octet <= 0xF4) {
        pending = 3;
        if (octet == 0xF0) low = 0x90;
        if (octet == 0xF4) high = 0x8F;
      } else {
        return false;
      }
      return true;
    }
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static Normalized rejected(String detail) {
    return new Normalized.Rejected(detail);
  }

}
