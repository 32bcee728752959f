package io.gatehouse.config;

import java.net.InetAddress;
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
   * Parses {@code 10.0.0.0/8}, {@code ::1/128} or a bare address (a host route). Only numeric addresses, read by
   * {@link IpLiteral}: never a DNS lookup.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    // Through InetAddress so that an IPv4-mapped network ("::ffff:10.0.0.0/104") is refused as the IPv4 it is.
    byte[] bytes = IpLiteral.parse(addr).map(InetAddress::getAddress).orElse(null);
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
    byte[] a = IpLiteral.canonical(address).getAddress();
    if (a.length != network.length) return false;
    return Arrays.equals(mask(a, prefix), network);
  }

  /** True when every address of this network is inside {@code outer}. */
  public boolean within(Cidr outer) {
    if (outer.network.length != network.length || outer.prefix > prefix) return false;
    return Arrays.equals(mask(network, outer.prefix), outer.network);
  }

  /** Whether it is an IPv6 network. */
  public boolean isIpv6() {
    return network.length == 16;
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
