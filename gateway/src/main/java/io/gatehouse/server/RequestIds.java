package io.gatehouse.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids: kept from a trusted proxy so one id follows a request across hops, else generated. Ids are
 * correlation handles, not secrets, so a thread-local PRNG is enough and avoids contention on SecureRandom.
 */
final class RequestIds {
  /** What a trusted proxy may hand us; anything else is replaced so the id can go into logs verbatim. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,128}");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String pick(String fromTrustedProxy) {
    if (fromTrustedProxy != null && ACCEPTED.matcher(fromTrustedProxy).matches()) return fromTrustedProxy;
    return generate();
  }

  /** A random UUID (version 4 layout) without SecureRandom. */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] out = new char[36];
    int p = 0;
    for (int i = 60; i >= 0; i -= 4) {
      if (p == 8 || p == 13) out[p++] = '-';
      out[p++] = HEX[(int) (hi >>> i) & 0xF];
    }
    out[p++] = '-';
    for (int i = 60; i >= 0; i -= 4) {
      if (p == 23) out[p++] = '-';
      out[p++] = HEX[(int) (lo >>> i) & 0xF];
    }
    return new String(out);
  }
}
