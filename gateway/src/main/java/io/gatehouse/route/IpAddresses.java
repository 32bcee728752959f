package io.gatehouse.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Numeric IP address parsing for values that come off the wire (X-Forwarded-For hops). Never a DNS lookup: a
 * name in a header must not make the gateway resolve it (a slow or attacker-run resolver would stall the event
 * loop, and the answer would be whatever the attacker wants).
 */
public final class IpAddresses {
  private IpAddresses() {}

  /**
   * Parses a bare IPv4 dotted quad or an IPv6 literal (no brackets, no port, no zone). IPv4 octets must be plain
   * decimal without leading zeros: {@code 010.0.0.1} is octal to inet_aton and decimal to others, so it is refused
   * rather than read one way. IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) comes back as IPv4.
   */
  public static Optional<InetAddress> parseNumeric(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) return Optional.empty();
    byte[] v4 = parseIpv4(text);
    if (v4 != null) return Optional.of(fromBytes(v4));
    if (text.indexOf(':') < 0) return Optional.empty();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return Optional.empty();
    }
    try {
      // Safe: only hex digits, ':' and '.' remain and a ':' is present, so the JDK takes its IPv6-literal path
      // and throws instead of resolving when the literal is invalid.
      return Optional.of(canonical(InetAddress.getByName(text)));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** An IPv4-mapped IPv6 address as the IPv4 address it carries, so IPv4 rules apply to dual-stack sockets. */
  public static InetAddress canonical(InetAddress address) {
    if (!(address instanceof Inet6Address)) return address;
    byte[] a = address.getAddress();
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) return address;
    }
    if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) return address;
    return fromBytes(Arrays.copyOfRange(a, 12, 16));
  }

  private static byte[] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i == text.length() ? '.' : text.charAt(i);
      if (c == '.') {
        if (digits == 0 || part == 4) return null;
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) return null; // leading zero
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) return null;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static InetAddress fromBytes(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
    }
  }
}
