package io.gatehouse.route;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.gatehouse.http.ClientRequest;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses request heads that two HTTP parsers could read differently (request smuggling, header injection, host
 * confusion) before anything else looks at them. Every problem is a 400 {@code bad_request}; the returned text is
 * for the audit log only.
 *
 * <p>What the public listener (Netty 4.2.12) already does before this class runs was measured with raw sockets against
 * a real gateway ({@code RequestHygieneSocketTest}) and decides which checks here are the only line of defence:
 *
 * <ul>
 *   <li><b>HTTP/1.x, refused by the decoder</b> ({@code StrictRequestDecoder}: Netty's {@code HttpRequestDecoder} with
 *       two refusals of its own), answered by {@code InvalidRequestResponder}, which records the cause's class and
 *       closes the connection: several or comma-joined {@code Content-Length} values, identical or not; a non-digit
 *       {@code Content-Length} ({@code +1}, {@code -1}, {@code 0x1}, {@code 1 1}); header names with a space, a
 *       separator, a control or non-ASCII byte; header values with NUL, other controls, DEL or a bare CR (all
 *       {@code IllegalArgumentException}); a bare LF as line end ({@code InvalidLineSeparatorException}); an HTTP/0.9
 *       request line; {@code Content-Length} together with {@code Transfer-Encoding}, and obsolete line folding, both
 *       of which Netty would silently repair ({@code SmugglingShapeException}; the CL+TE check below is defence in
 *       depth); a version other than 1.0/1.1, e.g. {@code HTTP/1.2} ({@code UnsupportedVersionException}, from
 *       {@code Http1Connection}) → all 400. A request line over 8 KiB ({@code TooLongHttpLineException}) or headers
 *       over 32 KiB ({@code TooLongHttpHeaderException}) → 431 {@code headers_too_large}.
 *   <li><b>HTTP/1.x, reaching this class</b> (so checked only here): every {@code Transfer-Encoding} other than
 *       {@code chunked} ({@code gzip, chunked}, {@code Chunked}, twice, {@code identity}, {@code xchunked}: Netty
 *       frames an unknown coding as "no body", a classic smuggling desync); {@code Transfer-Encoding} on HTTP/1.0; two
 *       {@code Host} headers; no {@code Host} on HTTP/1.1; a malformed or empty {@code Host}; an absolute-form target
 *       whose authority differs from {@code Host}; {@code CONNECT} and {@code TRACE}; a lower-case method
 *       ({@code get}), which arrives as a method of its own. A NUL, raw non-ASCII byte, {@code #} or {@code \} in the
 *       target gets past here too (PathNormalizer refuses those); a tab or a non-ASCII byte in a value is accepted.
 *   <li><b>HTTP/2, reset by Netty</b> ({@code Http2FrameCodec} with header validation) with {@code RST_STREAM
 *       PROTOCOL_ERROR} before any exchange begins, so without an access record: {@code te} other than
 *       {@code trailers}, {@code transfer-encoding}, {@code connection}, an upper-case header name, two differing or a
 *       non-numeric {@code content-length}.
 *   <li><b>HTTP/2, reaching this class</b> (from {@code Http2Stream}): header values with NUL, controls or even CR LF
 *       ({@code x-a: b\r\nx-b: c}), header names with a space, a {@code host} differing from {@code :authority},
 *       userinfo in {@code :authority}, no {@code :authority} (and no {@code host}), two {@code host} headers without
 *       {@code :authority}, an absolute URI in {@code :path}, {@code CONNECT} (sent without {@code :path}) and
 *       {@code TRACE}; a NUL in {@code :path} gets past here to PathNormalizer. Header injection into the HTTP/1.1
 *       upstream would be one forward away, so the value checks here are load-bearing for HTTP/2.
 * </ul>
 *
 * <p><b>After a refusal nothing more is read from an HTTP/1.x connection.</b> With {@code Transfer-Encoding: xchunked}
 * Netty decodes the body as a second request in the same read. Every refusal from here closes the connection
 * ({@code ExchangeHandler}), and {@code Http1Connection} drops whatever was decoded after a refusal that closes, so
 * that second request is never dispatched.
 */
public final class RequestHygiene {
  private static final java.util.Set<HttpMethod> FORWARDED_METHODS = java.util.Set.of(
      HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE,
      HttpMethod.OPTIONS);

  private RequestHygiene() {}

  /** Checks a live request; see {@link #check(HttpMethod, HttpVersion, String, MultiMap, String)}. */
  public static Optional<String> check(ClientRequest request) {
    HttpVersion version = switch (request.protocol()) {
      case HTTP_1_0 -> HttpVersion.HTTP_1_0;
      case HTTP_1_1 -> HttpVersion.HTTP_1_1;
      case HTTP_2 -> HttpVersion.HTTP_2;
    };
    return check(HttpMethod.valueOf(request.method().name()), version, request.uri(),
        new HeadersAdaptor(request.headers()), request.authority());
  }

  /**
   * @param uri the raw request target ({@code ClientRequest.uri()}); for HTTP/2 the {@code :path}
   * @param http2Authority the {@code :authority} of an HTTP/2 request ({@code host[:port]}), null when absent or
   *     for HTTP/1.x, where {@code Host} is read from {@code headers}
   * @return a description of the first problem found, or empty when the head is acceptable
   */
  public static Optional<String> check(
      HttpMethod method, HttpVersion version, String uri, MultiMap headers, String http2Authority) {
    // The gateway is a reverse proxy: CONNECT would make it an open tunnel to any host:port.
    if (HttpMethod.CONNECT.equals(method)) return problem("CONNECT is not served: not a forward proxy");
    // TRACE echoes the request, credentials and cookies included, back to the caller (cross-site tracing).
    if (HttpMethod.TRACE.equals(method)) return problem("TRACE is not served");
    // Methods are case-sensitive (RFC 9110 §9.1): `get` is not GET, and n8n serves only the standard ones. An
    // unknown method could be read differently by n8n's stack than by the gateway, so it never gets there.
    if (!FORWARDED_METHODS.contains(method)) return problem("method is not one n8n serves");
    if (uri == null || uri.isEmpty()) return problem("empty request target");
    boolean http2 = version == HttpVersion.HTTP_2;

    Optional<String> fieldProblem = fieldSyntax(headers, http2);
    if (fieldProblem.isPresent()) return fieldProblem;
    Optional<String> framing = http2 ? http2Framing(headers) : http1Framing(version, headers);
    if (framing.isPresent()) return framing;
    // A WebSocket handshake is a GET without a body (RFC 6455 §4.1). With one, the bytes after the head are body to
    // the gateway's parser but, once n8n answers 101, the first bytes of the tunnel to n8n's: one stream, two
    // readings (WebSocket smuggling). Nothing legitimate sends one, so refuse rather than choose a reading.
    if (!http2 && isWebSocketUpgrade(headers) && hasBody(headers)) return problem("body on a WebSocket handshake");
    return http2 ? http2Authority(uri, headers, http2Authority) : http1Host(version, uri, headers);
  }

  /**
   * Names must be RFC 9110 tokens and values free of controls other than HTAB: a CR or LF in a value becomes a
   * header of its own once re-serialized to HTTP/1.1 (header injection), and a NUL truncates it in C parsers.
   */
  private static Optional<String> fieldSyntax(MultiMap headers, boolean http2) {
    for (Map.Entry<String, String> field : headers) {
      String name = field.getKey();
      if (name.isEmpty()) return problem("empty header name");
      for (int i = 0; i < name.length(); i++) {
        if (!isTokenChar(name.charAt(i))) return problem("invalid character in header name");
      }
      String value = field.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7F) return problem("control character in value of header " + name);
        if (c > 0xFF) return problem("non-octet character in value of header " + name);
      }
      // RFC 9113 §8.2.1: leading or trailing whitespace makes an HTTP/2 field malformed (HTTP/1 parsers trim it).
      if (http2 && !value.isEmpty() && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(value.length() - 1)))) {
        return problem("leading or trailing whitespace in value of header " + name);
      }
    }
    return Optional.empty();
  }

  /**
   * Exactly one way to find the end of the body (RFC 9112 §6.3), so that the gateway and n8n cannot disagree on
   * where the next request begins.
   */
  private static Optional<String> http1Framing(HttpVersion version, MultiMap headers) {
    List<String> lengths = contentLengths(headers);
    List<String> codings = headers.getAll("transfer-encoding");
    // Duplicates are refused even when identical: RFC 9110 §8.6 lets a recipient either refuse or collapse them,
    // and since the gateway re-sends exactly one, refusing is the choice that cannot differ from another parser.
    if (lengths.size() > 1) return problem("more than one Content-Length value");
    if (lengths.size() == 1 && !isDigits(lengths.get(0))) return problem("Content-Length is not plain digits");
    if (codings.isEmpty()) return Optional.empty();
    if (!lengths.isEmpty()) return problem("both Content-Length and Transfer-Encoding");
    // RFC 9112 §6.1: Transfer-Encoding on HTTP/1.0 is faulty framing (1.0 has no chunked coding).
    if (version != HttpVersion.HTTP_1_1) return problem("Transfer-Encoding on HTTP/1.0");
    // Only the one coding every client uses, written as every client writes it. Anything else ("gzip, chunked",
    // "Chunked", " chunked", "xchunked", two lines) is where parsers have disagreed in known smuggling attacks.
    if (codings.size() != 1 || !codings.get(0).equals("chunked")) {
      return problem("Transfer-Encoding other than exactly 'chunked'");
    }
    return Optional.empty();
  }

  /** RFC 9113 §8.2.2: connection-specific fields make an HTTP/2 request malformed; DATA frames carry the framing. */
  private static Optional<String> http2Framing(MultiMap headers) {
    for (String name : List.of("transfer-encoding", "connection", "keep-alive", "proxy-connection", "upgrade")) {
      if (headers.contains(name)) return problem("connection-specific header in HTTP/2: " + name);
    }
    List<String> te = headers.getAll("te");
    if (!te.isEmpty() && !(te.size() == 1 && te.get(0).equals("trailers"))) {
      return problem("HTTP/2 te header other than 'trailers'");
    }
    List<String> lengths = contentLengths(headers);
    if (lengths.size() > 1) return problem("more than one Content-Length value");
    if (lengths.size() == 1 && !isDigits(lengths.get(0))) return problem("Content-Length is not plain digits");
    return Optional.empty();
  }

  /**
   * One well-formed {@code Host}, and an absolute-form target that names the same authority: otherwise one
   * component routes or builds links on one host while another uses the other (host confusion, cache poisoning).
   */
  private static Optional<String> http1Host(HttpVersion version, String uri, MultiMap headers) {
    List<String> hosts = headers.getAll("host");
    if (hosts.size() > 1) return problem("more than one Host header");
    if (hosts.isEmpty() && version == HttpVersion.HTTP_1_1) return problem("no Host header on HTTP/1.1");
    Authority host = null;
    if (hosts.size() == 1) {
      host = Authority.parse(hosts.get(0));
      if (host == null) return problem("Host header is not a valid host[:port]");
    }
    Optional<String> absolute = PathNormalizer.absoluteFormAuthority(uri);
    if (absolute.isPresent() && host != null) {
      Authority target = Authority.parse(absolute.get());
      int defaultPort = uri.regionMatches(true, 0, "https:", 0, 6) ? 443 : 80;
      if (target == null || !target.sameAs(host, defaultPort)) {
        return problem("absolute-form target authority differs from Host");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> http2Authority(String uri, MultiMap headers, String http2Authority) {
    // RFC 9113 §8.3.1: :path is origin-form (or '*'); an absolute URI there is malformed.
    if (uri.charAt(0) != '/' && !uri.equals("*")) return problem("HTTP/2 :path is not origin-form");
    List<String> hosts = headers.getAll("host");
    if (hosts.size() > 1) return problem("more than one Host header");
    if (http2Authority == null && hosts.isEmpty()) return problem("HTTP/2 request without :authority or Host");
    Authority authority = Authority.parse(http2Authority != null ? http2Authority : hosts.get(0));
    if (authority == null) return problem("HTTP/2 :authority is not a valid host[:port]");
    if (http2Authority != null && !hosts.isEmpty()) {
      Authority host = Authority.parse(hosts.get(0));
      if (host == null || !host.sameAs(authority, -1)) return problem("HTTP/2 Host differs from :authority");
    }
    return Optional.empty();
  }

  /**
   * Every Content-Length value, comma-joined ones split ({@code 1, 1} is two). Empty elements are kept so that an
   * empty or dangling value ({@code Content-Length:}, {@code 1,}) fails the digits check instead of vanishing.
   */
  private static List<String> contentLengths(MultiMap headers) {
    List<String> values = new ArrayList<>();
    for (String line : headers.getAll("content-length")) {
      for (String element : line.split(",", -1)) values.add(element.strip());
    }
    return values;
  }

  private static boolean isWebSocketUpgrade(MultiMap headers) {
    for (String line : headers.getAll("upgrade")) {
      for (String token : line.split(",")) {
        if (token.strip().equalsIgnoreCase("websocket")) return true;
      }
    }
    return false;
  }

  /** Framing was checked first, so a Content-Length here is one plain number. */
  private static boolean hasBody(MultiMap headers) {
    if (headers.contains("transfer-encoding")) return true;
    List<String> lengths = contentLengths(headers);
    return !lengths.isEmpty() && Long.parseLong(lengths.get(0)) > 0;
  }

  private static boolean isDigits(String s) {
    // 18 digits fit a long; n8n's own limit is 16 MiB, so longer is an attack on integer parsing.
    if (s.isEmpty() || s.length() > 18) return false;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  private static Optional<String> problem(String detail) {
    return Optional.of(detail);
  }

  /** {@code host[:port]} as in a Host header (RFC 9110 §7.2); the host lower-cased, IPv6 without brackets. */
  private record Authority(String host, int port) {

    /** Null when not a syntactically valid authority: no userinfo, no path, no whitespace, port 0–65535. */
    static Authority parse(String text) {
      if (text == null || text.isEmpty()) return null;
      String host;
      String rest;
      if (text.charAt(0) == '[') {
        int close = text.indexOf(']');
        if (close < 0) return null;
        host = text.substring(1, close);
        if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 0x80)) {
          return null;
        }
        rest = text.substring(close + 1);
      } else {
        int colon = text.indexOf(':');
        host = colon < 0 ? text : text.substring(0, colon);
        rest = colon < 0 ? "" : text.substring(colon);
        if (host.isEmpty() || !host.chars().allMatch(Authority::isRegNameChar)) return null;
      }
      int port = -1;
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') return null;
        String digits = rest.substring(1);
        // RFC 3986 allows an empty port ("host:"), which means the default.
        if (!digits.isEmpty()) {
          if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
          port = Integer.parseInt(digits);
          if (port > 65535) return null;
        }
      }
      return new Authority(host.toLowerCase(Locale.ROOT), port);
    }

    /** Same host, and the same port once an absent port is read as {@code defaultPort}. */
    boolean sameAs(Authority other, int defaultPort) {
      int mine = port < 0 ? defaultPort : port;
      int theirs = other.port < 0 ? defaultPort : other.port;
      return host.equals(other.host) && mine == theirs;
    }

    private static boolean isRegNameChar(int c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=%".indexOf(c) >= 0;
    }
  }
}
