package io.gatehouse.guard.ratelimit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The network a client is counted as: an IPv4 address as it is, an IPv6 address by its first {@code prefix} bits,
 * because one host is usually given a whole /64 and could otherwise rotate through 2^64 addresses, each with a
 * fresh bucket.
 */
public final class ClientNetwork {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ClientNetwork() {}

  /** {@code 203.0.113.7}, or for IPv6 the prefix's bytes in hex and its length ({@code 20010db8000000a1/64}). */
  public static String of(InetAddress address, int ipv6Prefix) {
    if (address instanceof Inet4Address) return address.getHostAddress();
    if (!(address instanceof Inet6Address)) throw new IllegalArgumentException("not an IP address");
    byte[] bytes = address.getAddress();
    int fullBytes = ipv6Prefix / 8;
    int restBits = ipv6Prefix % 8;
    int used = fullBytes + (restBits == 0 ? 0 : 1);
    StringBuilder out = new StringBuilder(used * 2 + 4);
    for (int i = 0; i < used; i++) {
      int b = bytes[i] & 0xff;
      if (i == fullBytes) b &= 0xff << (8 - restBits);
      out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
    }
    return out.append('/').append(ipv6Prefix).toString();
  }
}
