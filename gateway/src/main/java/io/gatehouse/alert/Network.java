package io.gatehouse.alert;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The network an address belongs to for a detector's grouping: its first {@code prefix} bits. One host can hold a
 * whole IPv6 /64 (and one site a /48), so counting IPv6 addresses one by one would let an attacker spread its
 * failures thin.
 *
 * @param bits the address's first 64 bits (an IPv4 address in the upper 32), those past {@code prefix} zeroed
 * @param prefix 1 to 32 for IPv4, 1 to 64 for IPv6
 */
record Network(boolean v6, long bits, int prefix) {
  private static final long V6_TAG = 1L << 62;

  /** The source of failed authentications: an IPv4 address as it is, an IPv6 address's /64. */
  static Network source(InetAddress address) {
    return of(address, 32, 64);
  }

  /** Where a person connects from: an IPv4 /24, an IPv6 /48 (a home, an office, a mobile carrier's pool). */
  static Network site(InetAddress address) {
    return of(address, 24, 48);
  }

  static Network of(InetAddress address, int v4Prefix, int v6Prefix) {
    byte[] raw = address.getAddress();
    if (address instanceof Inet4Address) {
      long bits = (ByteBuffer.wrap(raw).getInt() & 0xFFFF_FFFFL) << 32;
      return new Network(false, bits & mask(v4Prefix), v4Prefix);
    }
    return new Network(true, ByteBuffer.wrap(raw).getLong() & mask(v6Prefix), v6Prefix);
  }

  private static long mask(int prefix) {
    return prefix >= 64 ? -1L : ~(-1L >>> prefix);
  }

  /**
   * One long for a network of an IPv4 prefix or an IPv6 prefix of at most 48 bits, so a person's networks cost 8
   * bytes each; {@link #unpack} with the same prefixes gives it back.
   */
  long pack() {
    return (bits >>> 16) | (v6 ? V6_TAG : 0);
  }

  static Network unpack(long packed, int v4Prefix, int v6Prefix) {
    boolean v6 = (packed & V6_TAG) != 0;
    return new Network(v6, (packed & ~V6_TAG) << 16, v6 ? v6Prefix : v4Prefix);
  }

  /** {@code 203.0.113.7} for a single IPv4 address, else CIDR notation ({@code 2001:db8:1::/48}). */
  @Override
  public String toString() {
    byte[] raw = v6 ? ByteBuffer.allocate(16).putLong(bits).array()
        : ByteBuffer.allocate(4).putInt((int) (bits >>> 32)).array();
    String address = NetUtil.bytesToIpAddress(raw);
    return !v6 && prefix == 32 ? address : address + "/" + prefix;
  }
}
