package io.gatehouse.forward;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.UpstreamHeaderEdits;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Header hygiene between client and n8n. Everything the gateway asserts about the client (address, host,
 * scheme, request id) is set by the gateway alone: client-sent copies are dropped, because n8n believes them
 * ({@code N8N_PROXY_HOPS=1}) and uses the forwarded host to check the push channel's {@code Origin}.
 */
public final class ForwardedHeaders {
  /** RFC 9110 §7.6.1 hop-by-hop fields, plus the non-standard ones proxies still see. */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
      "proxy-authenticate", "proxy-authorization", "http2-settings");

  /** Set by the gateway only; a client's copy is a spoofing attempt or noise. */
  private static final Set<String> GATEWAY_OWNED_REQUEST = Set.of(
      "host", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
      "x-forwarded-prefix", "x-forwarded-server", "x-real-ip", "x-client-ip", "true-client-ip",
      "x-request-id", "expect", "content-length",
      // What the SSO guard asserts about the person (the n8n hook's signed assertion, the default user headers):
      // never from a client, on any route. Custom header names are dropped through ForwardSettings.
      "x-gatehouse-identity", "x-forwarded-user", "x-forwarded-email");

  /** n8n's own copies are replaced by the gateway's, or removed so the stack is not advertised. */
  private static final Set<String> STRIPPED_RESPONSE = Set.of(
      "server", "x-powered-by", "x-request-id", "strict-transport-security", "x-content-type-options",
      "content-length");

  private ForwardedHeaders() {}

  /**
   * Copies the client's request headers that may reach n8n. Several {@code cookie} fields become one
   * {@code Cookie} header, joined with {@code "; "} in the order received: an HTTP/2 client may split the cookies
   * into one field each (RFC 9113 §8.2.3), but the hop to n8n is HTTP/1.1, where a request carries one Cookie
   * header (RFC 6265 §5.4) and a parser that reads only the first would lose the session cookie. The listener passes
   * HTTP/2 fields on as they came, so this is the one place that joins them.
   *
   * @param upgrade true for a WebSocket handshake, whose {@code Upgrade}/{@code Connection} must go through
   */
  public static void copyRequest(MultiMap from, MultiMap to, boolean upgrade, Exchange exchange,
      ForwardSettings settings) {
    copyRequest(from, from.getAll("connection"), to::add, exchange.upstreamEditsIfAny(), settings.assertedHeaders());
    if (upgrade) {
      to.set("Connection", "Upgrade");
      to.set("Upgrade", "websocket");
    }
  }

  /** {@link #copyRequest(MultiMap, MultiMap, boolean, Exchange, ForwardSettings)} into the head of a request to n8n on our own client. */
  public static void copyRequest(HttpHeaders from, HttpHeaders to, Exchange exchange, ForwardSettings settings) {
    copyRequest(from, from.getAll("connection"), to::add, exchange.upstreamEditsIfAny(), settings.assertedHeaders());
  }

  /**
   * The one place where the exchange's {@link UpstreamHeaderEdits} apply: removed headers and cookies are not
   * copied, and a header a guard sets replaces every client copy of it.
   */
  private static void copyRequest(Iterable<Map.Entry<String, String>> from, List<String> connection,
      BiConsumer<String, String> to, UpstreamHeaderEdits edits, Set<String> asserted) {
    Set<String> nominated = nominatedByConnection(connection);
    List<String> cookies = new ArrayList<>(1);
    for (Map.Entry<String, String> field : from) {
      String name = field.getKey();
      String value = field.getValue();
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(":") || GATEWAY_OWNED_REQUEST.contains(lower) || asserted.contains(lower)) continue;
      if (HOP_BY_HOP.contains(lower) || nominated.contains(lower)) continue;
      if (edits != null && edits.replaces(lower)) continue;
      if (lower.equals("cookie")) {
        if (!value.isBlank()) cookies.add(value.strip());
        continue;
      }
      to.accept(name, value);
    }
    String cookie = String.join("; ", cookies);
    if (edits != null && !edits.removedCookies().isEmpty()) cookie = withoutCookies(cookie, edits.removedCookies());
    if (!cookie.isEmpty()) to.accept("Cookie", cookie);
    if (edits != null) for (UpstreamHeaderEdits.Replacement header : edits.set()) to.accept(header.name(), header.value());
  }

  /**
   * The cookie header without the named cookies (exact names, RFC 6265 §5.4's {@code name=value} pairs; a name
   * ending in {@code *} removes every cookie starting with what precedes it).
   */
  static String withoutCookies(String cookieHeader, List<String> names) {
    if (cookieHeader.isEmpty()) return cookieHeader;
    StringBuilder kept = new StringBuilder(cookieHeader.length());
    for (String pair : cookieHeader.split(";")) {
      String crumb = pair.strip();
      if (crumb.isEmpty()) continue;
      int eq = crumb.indexOf('=');
      String name = (eq < 0 ? crumb : crumb.substring(0, eq)).strip();
      if (removes(names, name)) continue;
      if (kept.length() > 0) kept.append("; ");
      kept.append(crumb);
    }
    return kept.toString();
  }

  /**
   * Sets what the gateway asserts about the client: its address (n8n, with {@code N8N_PROXY_HOPS=1}, takes the
   * last hop), the public host and scheme (n8n compares the push channel's {@code Origin} with them), and the
   * request id that ties n8n's logs to the audit log.
   */
  public static void setGatewayOwned(MultiMap to, Exchange exchange, ForwardSettings settings) {
    setGatewayOwned(to::set, exchange, settings);
  }

  /** {@link #setGatewayOwned(MultiMap, Exchange, ForwardSettings)} on the head of a request to n8n. */
  public static void setGatewayOwned(HttpHeaders to, Exchange exchange, ForwardSettings settings) {
    setGatewayOwned((name, value) -> to.set(name, value), exchange, settings);
  }

  private static void setGatewayOwned(BiConsumer<String, String> set, Exchange exchange, ForwardSettings settings) {
    set.accept("X-Forwarded-For", exchange.clientAddress().getHostAddress());
    set.accept("X-Forwarded-Host", settings.forwardedHost());
    set.accept("X-Forwarded-Proto", settings.forwardedProto());
    set.accept("X-Request-Id", exchange.requestId());
  }

  /** Copies n8n's response headers that may reach the client. */
  public static void copyResponse(MultiMap from, MultiMap to, boolean upgrade) {
    copyResponse(from, from.getAll("connection"), to::add, upgrade);
  }

  /** {@link #copyResponse(MultiMap, MultiMap, boolean)} from a response head read by the gateway's own client. */
  public static void copyResponse(HttpHeaders from, HttpHeaders to) {
    copyResponse(from, from.getAll("connection"), to::add, false);
  }

  private static void copyResponse(
      Iterable<Map.Entry<String, String>> from, List<String> connection, BiConsumer<String, String> to,
      boolean upgrade) {
    Set<String> nominated = nominatedByConnection(connection);
    for (Map.Entry<String, String> field : from) {
      String name = field.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (STRIPPED_RESPONSE.contains(lower)) continue;
      if (HOP_BY_HOP.contains(lower) || nominated.contains(lower)) {
        if (!(upgrade && (lower.equals("upgrade") || lower.equals("connection")))) continue;
      }
      to.accept(name, field.getValue());
    }
  }

  private static boolean removes(List<String> names, String cookie) {
    for (String name : names) {
      if (name.endsWith("*") ? cookie.startsWith(name.substring(0, name.length() - 1)) : name.equals(cookie)) return true;
    }
    return false;
  }

  /** Header names a sender listed in {@code Connection} are hop-by-hop too (RFC 9110 §7.6.1). */
  private static Set<String> nominatedByConnection(List<String> values) {
    if (values.isEmpty()) return Set.of();
    Set<String> out = new HashSet<>();
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.equals("upgrade")) out.add(t);
      }
    }
    return out;
  }
}
