package io.gatehouse.forward;

import io.gatehouse.route.Exchange;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
      "x-request-id", "expect", "content-length");

  /** n8n's own copies are replaced by the gateway's, or removed so the stack is not advertised. */
  private static final Set<String> STRIPPED_RESPONSE = Set.of(
      "server", "x-powered-by", "x-request-id", "strict-transport-security", "x-content-type-options",
      "content-length");

  private ForwardedHeaders() {}

  /**
   * Copies the client's request headers that may reach n8n. Several {@code cookie} fields become one
   * {@code Cookie} header, joined with {@code "; "} in the order received: an HTTP/2 client may split the cookies
   * into one field each (RFC 9113 §8.2.3), but the hop to n8n is HTTP/1.1, where a request carries one Cookie
   * header (RFC 6265 §5.4) and a parser that reads only the first would lose the session cookie. Vert.x already
   * joins HTTP/2 crumbs today; doing it here keeps that true for every protocol and Vert.x version.
   *
   * @param upgrade true for a WebSocket handshake, whose {@code Upgrade}/{@code Connection} must go through
   */
  public static void copyRequest(MultiMap from, MultiMap to, boolean upgrade) {
    Set<String> nominated = nominatedByConnection(from);
    List<String> cookies = new ArrayList<>(1);
    from.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(":") || GATEWAY_OWNED_REQUEST.contains(lower)) return;
      if (HOP_BY_HOP.contains(lower) || nominated.contains(lower)) return;
      if (lower.equals("cookie")) {
        if (!value.isBlank()) cookies.add(value.strip());
        return;
      }
      to.add(name, value);
    });
    if (!cookies.isEmpty()) to.add("Cookie", String.join("; ", cookies));
    if (upgrade) {
      to.set("Connection", "Upgrade");
      to.set("Upgrade", "websocket");
    }
  }

  /**
   * Sets what the gateway asserts about the client: its address (n8n, with {@code N8N_PROXY_HOPS=1}, takes the
   * last hop), the public host and scheme (n8n compares the push channel's {@code Origin} with them), and the
   * request id that ties n8n's logs to the audit log.
   */
  public static void setGatewayOwned(MultiMap to, Exchange exchange, ForwardSettings settings) {
    to.set("X-Forwarded-For", exchange.clientAddress().getHostAddress());
    to.set("X-Forwarded-Host", settings.forwardedHost());
    to.set("X-Forwarded-Proto", settings.forwardedProto());
    to.set("X-Request-Id", exchange.requestId());
  }

  /** Copies n8n's response headers that may reach the client. */
  public static void copyResponse(MultiMap from, MultiMap to, boolean upgrade) {
    Set<String> nominated = nominatedByConnection(from);
    from.forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (STRIPPED_RESPONSE.contains(lower)) return;
      if (HOP_BY_HOP.contains(lower) || nominated.contains(lower)) {
        if (!(upgrade && (lower.equals("upgrade") || lower.equals("connection")))) return;
      }
      to.add(name, value);
    });
  }

  /** Header names a sender listed in {@code Connection} are hop-by-hop too (RFC 9110 §7.6.1). */
  private static Set<String> nominatedByConnection(MultiMap headers) {
    var values = headers.getAll("connection");
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
