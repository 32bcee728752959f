package io.gatehouse.audit.scrub.detect;

import static io.gatehouse.audit.scrub.detect.Chars.isAsciiLetter;
import static io.gatehouse.audit.scrub.detect.Chars.isDigit;

import io.gatehouse.audit.scrub.PhiType;

/**
 * URLs: a scheme then {@code ://}, or {@code www.}, up to the first space, quote or angle bracket, less trailing
 * punctuation (a sentence's full stop, a closing bracket). Found from each {@code ://} and {@code www.} outwards
 * ({@link #around}); the scan forward is one pass over characters the text scanner then skips, so it is linear.
 * URLs of code systems (HL7, LOINC, SNOMED, UCUM), which FHIR resources carry by the dozen, name no person and
 * are kept.
 */
public final class UrlDetector implements Detector {
  private static final int MAX_SCHEME = 16;
  private static final String[] CODE_SYSTEM_HOSTS = {
      "hl7.org", "loinc.org", "snomed.info", "unitsofmeasure.org", "www.nlm.nih.gov", "www.ama-assn.org",
      "www.cms.gov", "fhir.org"};

  @Override
  public PhiType type() {
    return PhiType.URL;
  }

  @Override
  public int match(char[] s, int start, int limit, Cues cues) {
    if (startsWithWww(s, start, limit)) return bodyEnd(s, start + 4, limit);
    int i = start;
    if (i >= limit || !isAsciiLetter(s[i])) return -1;
    while (i < limit && i - start <= MAX_SCHEME && isSchemeChar(s[i])) i++;
    if (i + 3 > limit || s[i] != ':' || s[i + 1] != '/' || s[i + 2] != '/') return -1;
    return bodyEnd(s, i + 3, limit);
  }

  /**
   * The URL whose {@code ://} is at {@code sep} (or whose {@code www.} starts there), packed as
   * {@code start << 32 | end}, or -1.
   */
  public static long around(char[] s, int sep, int from, int limit) {
    if (startsWithWww(s, sep, limit)) {
      if (sep > from && (Chars.isWordChar(s[sep - 1]) || s[sep - 1] == '/' || s[sep - 1] == '.')) return -1;
      int end = bodyEnd(s, sep + 4, limit);
      return end < 0 ? -1 : ((long) sep << 32) | end;
    }
    int start = sep;
    while (start > from && sep - start < MAX_SCHEME && isSchemeChar(s[start - 1])) start--;
    while (start < sep && !isAsciiLetter(s[start])) start++;
    if (start == sep) return -1;
    int end = bodyEnd(s, sep + 3, limit);
    return end < 0 ? -1 : ((long) start << 32) | end;
  }

  private static boolean startsWithWww(char[] s, int i, int limit) {
    return i + 4 < limit && (s[i] | 0x20) == 'w' && (s[i + 1] | 0x20) == 'w' && (s[i + 2] | 0x20) == 'w'
        && s[i + 3] == '.';
  }

  private static boolean isSchemeChar(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
  }

  private static int bodyEnd(char[] s, int i, int limit) {
    int j = i;
    while (j < limit && !ends(s[j])) j++;
    while (j > i && trailing(s[j - 1])) j--;
    return j > i && !codeSystem(s, i, j) ? j : -1;
  }

  /** Whether the host starting at {@code i} is a code system's, or a subdomain of one. */
  private static boolean codeSystem(char[] s, int i, int end) {
    int host = i;
    while (host < end && s[host] != '/' && s[host] != ':' && s[host] != '?' && s[host] != '#') host++;
    for (String known : CODE_SYSTEM_HOSTS) {
      int length = known.length();
      if (host - i < length) continue;
      int at = host - length;
      if (at > i && s[at - 1] != '.') continue;
      boolean same = true;
      for (int k = 0; k < length && same; k++) same = (s[at + k] | 0x20) == known.charAt(k);
      if (same) return true;
    }
    return false;
  }

  private static boolean ends(char c) {
    return c <= ' ' || c == '"' || c == '<' || c == '>' || c == '`' || c == '\\' || c == '{' || c == '}'
        || c == '|' || c == 0x7f;
  }

  private static boolean trailing(char c) {
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']'
        || c == '\'';
  }

  /** Whether {@code value} is one URL. */
  public static boolean isValid(String value) {
    char[] c = value.toCharArray();
    return c.length > 0 && new UrlDetector().match(c, 0, c.length, Cues.NONE) == c.length;
  }
}
