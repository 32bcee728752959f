package io.gatehouse.route;

import io.gatehouse.config.Cidr;
import io.gatehouse.config.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which address a request comes from, for source allow-lists, rate limits and the audit log.
 *
 * <p>{@code X-Forwarded-For} is a list that every proxy appends its own peer to, so only the entries appended by
 * proxies we trust are facts; anything further left was written by whoever the leftmost trusted proxy talked to,
 * i.e. possibly the client itself. Hence: a header from an untrusted peer is ignored entirely, and behind trusted
 * proxies the answer is the rightmost hop that is not itself a trusted proxy. Taking the leftmost hop (as many
 * frameworks do) would let any client choose its own address by sending {@code X-Forwarded-For: 10.0.0.1}.
 *
 * <p>Immutable and shared across event loops.
 */
public final class ClientAddressResolver {
  private final List<Cidr> trustedProxies;

  public ClientAddressResolver(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * @param peer the TCP peer of the connection
   * @param xForwardedForValues every {@code X-Forwarded-For} header line in the order received (empty if none);
   *     several lines are one list joined by commas (RFC 9110 §5.3)
   * @return the client address; IPv4-mapped IPv6 comes back as IPv4. When a hop cannot be parsed as a numeric
   *     address (a name, {@code unknown}, an obfuscated identifier, garbage) the walk stops there and the last
   *     trusted hop seen is returned: the entries to its left were written by something we cannot identify, so
   *     the nearest address we can vouch for is the proxy that passed them on. Allow-lists should therefore not
   *     include the trusted proxies' own addresses unless the proxies themselves are to be let in.
   */
  public InetAddress resolve(InetAddress peer, List<String> xForwardedForValues) {
    InetAddress current = IpLiteral.canonical(peer);
    if (!isTrusted(current)) return current;
    List<String> hops = hops(xForwardedForValues);
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = parseHop(hops.get(i));
      if (hop.isEmpty()) return current;
      current = hop.get();
      if (!isTrusted(current)) return current;
    }
    // Every hop is a trusted proxy (or there was no header): the leftmost one is the best we know.
    return current;
  }

  /** True when {@code address} is inside one of the trusted proxy networks. */
  public boolean isTrusted(InetAddress address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) return true;
    }
    return false;
  }

  private static List<String> hops(List<String> values) {
    List<String> hops = new ArrayList<>();
    for (String value : values) {
      for (String hop : value.split(",", -1)) {
        String trimmed = hop.strip();
        // RFC 9110 §5.6.1: empty list elements are ignored, they carry no hop.
        if (!trimmed.isEmpty()) hops.add(trimmed);
      }
    }
    return hops;
  }

  /** {@code 192.0.2.1}, {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:4711}. */
  static Optional<InetAddress> parseHop(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      if (close < 0) return Optional.empty();
      String rest = hop.substring(close + 1);
      if (!rest.isEmpty() && !isPortSuffix(rest)) return Optional.empty();
      Optional<InetAddress> address = IpLiteral.parse(hop.substring(1, close));
      // Brackets are for IPv6 only; "[10.0.0.1]" is not a form any proxy writes.
      return address.filter(a -> hop.substring(1, close).indexOf(':') >= 0);
    }
    int colon = hop.indexOf(':');
    if (colon >= 0 && colon == hop.lastIndexOf(':')) {
      // Exactly one ':' is IPv4 with a port; a bare IPv6 literal has at least two.
      if (!isPortSuffix(hop.substring(colon))) return Optional.empty();
      String host = hop.substring(0, colon);
      return host.indexOf('.') >= 0 ? IpLiteral.parse(host) : Optional.empty();
    }
    return IpLiteral.parse(hop);
  }

  private static boolean isPortSuffix(String s) {
    if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') return false;
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return Integer.parseInt(s.substring(1)) <= 65535;
  }
}
