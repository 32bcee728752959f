package io.gatehouse.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network. IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) are compared as IPv4, so a
 * dual-stack socket cannot slip past an IPv4 rule.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code ::1/128} or a bare address (a host route). Only numeric addresses:
   * never a DNS lookup.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = parseNumericAddress(addr);
    if (bytes == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not a CIDR (expected e.g. 10.0.0.0/8 or fd00::/8)");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("\"" + text + "\" is not a CIDR (expected e.g. 10.0.0.0/8 or fd00::/8)");
      }
      prefix = Integer.parseInt(p);
      if (prefix > max) {
        throw new IllegalArgumentException("\"" + text + "\" has a prefix longer than " + max + " bits");
      }
    }
    return new Cidr(mask(bytes, prefix), prefix, s);
  }

  /** True when {@code address} is inside this network. */
  public boolean contains(InetAddress address) {
    byte[] a = canonical(address.getAddress());
    if (a.length != network.length) return false;
    return Arrays.equals(mask(a, prefix), network);
  }

  public int prefixLength() {
    return prefix;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  /** IPv4-mapped IPv6 becomes plain IPv4. */
  static byte[] canonical(byte[] a) {
    if (a.length == 16) {
      boolean mapped = true;
      for (int i = 0; i < 10; i++) mapped &= a[i] == 0;
      mapped &= a[10] == (byte) 0xff && a[11] == (byte) 0xff;
      if (mapped) return Arrays.copyOfRange(a, 12, 16);
    }
    return a;
  }

  private static byte[] parseNumericAddress(String addr) {
    if (addr.isEmpty()) return null;
    boolean v4 = addr.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    boolean v6 = addr.contains(":") && addr.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
    if (v4) {
      String[] parts = addr.split("\\.", -1);
      if (parts.length != 4) return null;
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (parts[i].isEmpty() || parts[i].length() > 3) return null;
        int n = Integer.parseInt(parts[i]);
        if (n > 255) return null;
        out[i] = (byte) n;
      }
      return out;
    }
    if (v6) {
      try {
        // Safe: the character check above guarantees a numeric literal, so no name resolution happens.
        InetAddress a = InetAddress.getByName(addr);
        return a instanceof Inet6Address || a instanceof Inet4Address ? canonical(a.getAddress()) : null;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }

  @Override public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override public String toString() {
    return text;
  }
}
