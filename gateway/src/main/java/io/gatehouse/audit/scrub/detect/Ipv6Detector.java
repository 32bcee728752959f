package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isAsciiLetter;
import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.isHex;
import static io.gatehouse.audit.scrub.detect.Chars.wordAt;

import io.gatehouse.audit.scrub.PhiType;

/**
 * IPv6 addresses in the text forms of RFC 4291 section 2.2 (and RFC 5952's compressed form), read by a strict
 * parser rather than a pattern: groups of one to four hex digits, eight of them or fewer around exactly one
 * {@code ::}, optionally ending in a dotted IPv4 address that counts as two, and an optional {@code %zone}. Clock
 * times ({@code 12:30:45}) and MAC addresses (six groups, no {@code ::}) are not addresses and are refused.
 */
public final class Ipv6Detector implements Detector {
  /** The longest text form: eight groups of four and seven colons, or six and an IPv4 tail. */
  private static final int MAX_LENGTH = 45;
  private static final int MAX_ZONE = 16;
  private static final Ipv4Detector IPV4 = new Ipv4Detector();

  @Override
  public PhiType type() {
    return PhiType.IP;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    int max = Math.min(limit, start + MAX_LENGTH);
    int end = start;
    while (end < max && (isHex(s[end]) || s[end] == ':' || s[end] == '.')) end++;
    // Trailing separators belong to the sentence ("at fe80::1."), not the address.
    while (end > start && s[end - 1] == '.') end--;
    if (end < limit && end == max && (isHex(s[end]) || s[end] == ':')) return -1;
    int parsed = parse(s, start, end);
    if (parsed < 0 && end > start && s[end - 1] == ':' && (end - 2 < start || s[end - 2] != ':')) {
      parsed = parse(s, start, end - 1);
      end--;
    }
    if (parsed < 0) return -1;
    end = parsed;
    if (end < limit && s[end] == '%') {
      int zone = end + 1;
      while (zone < limit && zone - end <= MAX_ZONE && (isAsciiLetter(s[zone]) || isDigit(s[zone]))) zone++;
      if (zone > end + 1) end = zone;
    }
    return wordAt(s, end, start, limit) ? -1 : end;
  }

  /** {@code end} if [start, end) is one IPv6 address, else -1. */
  static int parse(char[] s, int start, int end) {
    int groups = 0;
    boolean compressed = false;
    int i = start;
    if (i + 1 < end && s[i] == ':' && s[i + 1] == ':') {
      compressed = true;
      i += 2;
      if (i == end) return end;
    } else if (i < end && s[i] == ':') {
      return -1;
    }
    while (i < end) {
      int g = i;
      while (i < end && i - g < 5 && isHex(s[i])) i++;
      if (i < end && s[i] == '.') {
        // An IPv4 tail: only last, only where two groups still fit.
        if (groups > 6 || (!compressed && groups != 6)) return -1;
        if (IPV4.match(s, g, end, Cues.NONE) != end) return -1;
        groups += 2;
        i = end;
        break;
      }
      int length = i - g;
      if (length == 0 || length > 4) return -1;
      groups++;
      if (i == end) break;
      if (s[i] != ':') return -1;
      i++;
      if (i < end && s[i] == ':') {
        if (compressed) return -1;
        compressed = true;
        i++;
        if (i == end) break;
      } else if (i == end) {
        return -1;
      }
    }
    if (compressed ? groups > 7 : groups != 8) return -1;
    return end;
  }

  /** Whether {@code value} is one IPv6 address. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new Ipv6Detector().match(c, 0, c.length, Cues.NONE) == c.length;
  }
}
