package io.gatehouse.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one parser of numeric IP addresses, for config CIDRs and for values off the wire ({@code X-Forwarded-For}
 * hops, the socket peer) alike. It never reaches DNS: it builds the bytes itself and hands them only to
 * {@link InetAddress#getByAddress(byte[])}.
 *
 * <p>Why by hand: the JDK has no literal-only parser. {@code InetAddress.getByName} tries its literal parser only
 * when the text starts with a hex digit or {@code ':'} and otherwise resolves the string as a host name, so a
 * character filter in front of it is not enough ({@code .::1} passes a "hex digits, ':' and '.'" filter and then
 * goes to the resolver, on the event loop, with a name the client chose). Guava's {@code InetAddresses} would do,
 * but it is a new dependency for about 150 lines.
 *
 * <p>Why in {@code config}: {@link Cidr} needs it and {@code route}, {@code server} and {@code tls} already depend
 * on {@code config}; every package's dependencies point here, so putting it here adds no edge and no cycle. A
 * separate package would be one that {@code config} imports, and {@code config} imports nothing of ours.
 *
 * <p>Accepted: an IPv4 dotted quad of four decimal octets without leading zeros ({@code 010.0.0.1} is octal to
 * inet_aton and decimal to others, so it is refused rather than read one way); IPv6 as in RFC 4291 §2.2, with one
 * {@code ::} standing for one or more zero groups and an optional dotted-quad tail. Refused: zone ids
 * ({@code fe80::1%eth0}), brackets and ports (callers strip those), whitespace, non-ASCII digits, anything longer
 * than {@value #MAX_LENGTH} characters (the longest IPv6 text form).
 */
public final class IpLiteral {
  /** {@code ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255}. */
  public static final int MAX_LENGTH = 45;

  private IpLiteral() {}

  /**
   * The address written in {@code text}, or empty when it is not exactly an IPv4 or IPv6 literal. An IPv4-mapped
   * IPv6 literal ({@code ::ffff:10.0.0.1}) comes back as the IPv4 address, so IPv4 rules apply to it.
   */
  public static Optional<InetAddress> parse(String text) {
    byte[] bytes = bytes(text);
    return bytes == null ? Optional.empty() : Optional.of(fromBytes(bytes));
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

  /** 4 or 16 bytes, or null. */
  private static byte[] bytes(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) return null;
    return text.indexOf(':') < 0 ? ipv4(text) : ipv6(text);
  }

  private static byte[] ipv4(String text) {
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

  private static byte[] ipv6(String text) {
    int gap = text.indexOf("::");
    // A second "::" (also the overlapping one in ":::") would leave the zero run's length undefined.
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
    byte[] out = new byte[16];
    if (gap < 0) return groups(text, out, true) == 16 ? out : null;
    byte[] head = new byte[16];
    byte[] tail = new byte[16];
    int headLength = gap == 0 ? 0 : groups(text.substring(0, gap), head, false);
    int tailLength = gap + 2 == text.length() ? 0 : groups(text.substring(gap + 2), tail, true);
    // "::" stands for at least one zero group, so at most seven groups are written around it.
    if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) return null;
    System.arraycopy(head, 0, out, 0, headLength);
    System.arraycopy(tail, 0, out, 16 - tailLength, tailLength);
    return out;
  }

  /**
   * Reads {@code h16 *(":" h16)} into {@code out} from index 0, the last element optionally a dotted quad; returns
   * the number of bytes written, or -1. An empty group (a lone leading or trailing ':') is refused.
   */
  private static int groups(String text, byte[] out, boolean ipv4Tail) {
    int written = 0;
    int start = 0;
    while (true) {
      int colon = text.indexOf(':', start);
      int end = colon < 0 ? text.length() : colon;
      if (colon < 0 && ipv4Tail && text.indexOf('.', start) >= 0) {
        byte[] v4 = ipv4(text.substring(start));
        if (v4 == null || written + 4 > 16) return -1;
        System.arraycopy(v4, 0, out, written, 4);
        return written + 4;
      }
      if (end == start || end - start > 4 || written + 2 > 16) return -1;
      int value = 0;
      for (int i = start; i < end; i++) {
        int digit = hexDigit(text.charAt(i));
        if (digit < 0) return -1;
        value = value * 16 + digit;
      }
      out[written++] = (byte) (value >> 8);
      out[written++] = (byte) value;
      if (colon < 0) return written;
      start = colon + 1;
    }
  }

  /** ASCII only: {@link Character#digit} would accept fullwidth and other Unicode digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  private static InetAddress fromBytes(byte[] bytes) {
    try {
      // No lookup: with a byte array and no host name, the JDK only checks the length.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
    }
  }
}
