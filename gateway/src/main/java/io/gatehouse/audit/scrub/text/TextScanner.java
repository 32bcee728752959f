package io.gatehouse.audit.scrub.text;

import static io.gatehouse.audit.scrub.detect.Chars.isDigit;
import static io.gatehouse.audit.scrub.detect.Chars.isHex;
import static io.gatehouse.audit.scrub.detect.Chars.isUpper;
import static io.gatehouse.audit.scrub.detect.Chars.isWordChar;

import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.detect.CardDetector;
import io.gatehouse.audit.scrub.detect.Cue;
import io.gatehouse.audit.scrub.detect.DateDetector;
import io.gatehouse.audit.scrub.detect.DeaDetector;
import io.gatehouse.audit.scrub.detect.Detector;
import io.gatehouse.audit.scrub.detect.EmailDetector;
import io.gatehouse.audit.scrub.detect.Ipv4Detector;
import io.gatehouse.audit.scrub.detect.Ipv6Detector;
import io.gatehouse.audit.scrub.detect.MbiDetector;
import io.gatehouse.audit.scrub.detect.NpiDetector;
import io.gatehouse.audit.scrub.detect.PhoneDetector;
import io.gatehouse.audit.scrub.detect.SsnDetector;
import io.gatehouse.audit.scrub.detect.UrlDetector;
import java.util.List;

/**
 * Finds the PHI in a text: one pass that splits it into tokens (runs of letters and digits) and asks the
 * detectors that fit each token's shape, after a first pass for URLs and e-mail addresses (found from their
 * {@code ://}, {@code www.} and {@code @}, since their starts look like any word). Digits go to the numeric
 * detectors (date, SSN, card, phone, NPI, IPv4) and, after an MRN cue, become a medical record number; words
 * become cues for what follows, DEA numbers and MBIs, and people's names ({@link NameFinder}).
 *
 * <p>Every detector reads a bounded number of characters from its token, and the pass never goes back, so the work
 * is linear in the text's length. Stateless and thread-safe; the per-text state is the caller's {@link ScanState}.
 */
public final class TextScanner {
  // Constants of their own classes, so each call site below is a direct call the JIT can inline.
  private static final DateDetector DATE = new DateDetector();
  private static final SsnDetector SSN = new SsnDetector();
  private static final CardDetector CARD = new CardDetector();
  private static final PhoneDetector PHONE = new PhoneDetector();
  private static final NpiDetector NPI = new NpiDetector();
  private static final Ipv4Detector IPV4 = new Ipv4Detector();
  private static final Ipv6Detector IPV6 = new Ipv6Detector();
  private static final MbiDetector MBI = new MbiDetector();
  private static final DeaDetector DEA = new DeaDetector();
  private static final Detector[] NUMERIC = {DATE, SSN, CARD, PHONE, NPI, IPV4};
  private static final int MIN_MRN_DIGITS = 4;
  /** What an ASCII character is to the first pass ({@link #findLinksAndAddresses}). */
  private static final byte PLAIN = 0;
  /** Where a detector of the second pass may start. */
  private static final byte CANDIDATE = 1;
  /** That, and where a link or address may be found. */
  private static final byte CANDIDATE_AND_LINK = 2;
  /** The {@code w} of a {@code www.}: only a link. */
  private static final byte LINK_START = 3;
  private static final byte[] KINDS = new byte[0x80];

  static {
    for (char c = '0'; c <= '9'; c++) KINDS[c] = CANDIDATE;
    for (char c = 'A'; c <= 'Z'; c++) KINDS[c] = CANDIDATE;
    KINDS['@'] = CANDIDATE_AND_LINK;
    KINDS[':'] = CANDIDATE_AND_LINK;
    KINDS['W'] = CANDIDATE_AND_LINK;
    KINDS['w'] = LINK_START;
  }

  private final NameFinder names;

  public TextScanner(NameLists names) {
    this.names = new NameFinder(names);
  }

  /**
   * Adds to {@code out} the redactions in {@code s[from, to)}. {@code hints} are the cues of the field the text is
   * the value of ({@link Cue#bit()}s); {@code findNames} is false for texts that are not prose (field names).
   */
  public void scan(char[] s, int from, int to, int hints, boolean findNames, ScanState state, Spans out) {
    Spans reserved = state.reserved;
    reserved.clear();
    if (!findLinksAndAddresses(s, from, to, reserved)) return;
    state.reset(s, from, to, hints);
    int r = 0;
    int i = from;
    while (i < to) {
      int nextReserved = r < reserved.count() ? reserved.start(r) : to;
      if (i >= nextReserved) {
        out.add(reserved.start(r), reserved.end(r), reserved.type(r));
        i = reserved.end(r);
        r++;
        continue;
      }
      char c = s[i];
      if (!isWordChar(c)) {
        i = c == '(' || c == '+' || c == ':' ? punctuation(s, i, from, nextReserved, state, out) : i + 1;
        continue;
      }
      i = token(s, i, from, nextReserved, findNames, state, out);
    }
  }

  /** Phones written "(555) ..." or "+1 ...", IPv6 written "::1"; otherwise just the next character. */
  private static int punctuation(char[] s, int i, int from, int limit, ScanState state, Spans out) {
    char c = s[i];
    if ((c == '(' || c == '+') && i + 1 < limit && isDigit(s[i + 1])) {
      int end = PHONE.match(s, i, limit, state);
      if (end > 0) return add(out, i, end, PhiType.PHONE);
    } else if (c == ':' && i + 2 < limit && s[i + 1] == ':' && (i == from || !isWordChar(s[i - 1]))) {
      int end = IPV6.match(s, i, limit, state);
      if (end > 0) return add(out, i, end, PhiType.IP);
    }
    return i + 1;
  }

  private int token(char[] s, int i, int from, int limit, boolean findNames, ScanState state, Spans out) {
    int e = i;
    boolean digitsOnly = true;
    boolean hexOnly = true;
    boolean ascii = true;
    int digits = 0;
    // The word's table key is folded in here, so cue and name lookups do not read it again.
    long packed = WordTable.START_PACKED;
    int hash = WordTable.START_HASH;
    while (e < limit && isWordChar(s[e])) {
      char c = s[e];
      if (isDigit(c)) {
        digits++;
      } else {
        digitsOnly = false;
        if (!isHex(c)) hexOnly = false;
        if (c >= 0x80) ascii = false;
      }
      packed = WordTable.fold(packed, c);
      hash = WordTable.foldHash(hash, c);
      e++;
    }
    if (hexOnly && e < limit && s[e] == '-' && e - i == 8 && isUuid(s, i, limit)) return i + 36;
    if (hexOnly && e - i <= 4 && e < limit && s[e] == ':') {
      int end = IPV6.match(s, i, limit, state);
      if (end > 0) return add(out, i, end, PhiType.IP);
    }
    if (digitsOnly) return number(s, i, e, from, limit, state, out);
    if (isDigit(s[i])) {
      int end = MBI.match(s, i, limit, state);
      if (end > 0) return add(out, i, end, PhiType.MBI);
      return medicalRecord(s, i, e, digits, limit, state, out);
    }
    if (e - i == 9 && isUpper(s[i])) {
      int end = DEA.match(s, i, limit, state);
      if (end > 0) return add(out, i, end, PhiType.DEA);
    }
    if (digits > 0) return medicalRecord(s, i, e, digits, limit, state, out);
    if (e - i <= 4 && e + 1 < limit && s[e] == '-' && isDigit(s[e + 1]) && state.near(Cue.MRN, i, e)) {
      return medicalRecord(s, i, e, 1, limit, state, out); // a prefixed number: "A-4821773"
    }
    long key = ascii ? WordTable.key(packed, hash, e - i) : WordTable.NONE;
    int flags = CueWords.of(s, i, e, key);
    state.word(i, e, flags);
    if (e - i >= 3 && e - i <= 9 && dayMayFollow(s, e, limit)) {
      int end = DATE.match(s, i, limit, state);
      if (end > 0) {
        state.consume(Cue.PERSON_DATE);
        return add(out, i, end, PhiType.DATE);
      }
    }
    if (findNames && flags == 0 && isUpper(s[i])) {
      int end = names.match(s, i, e, key, limit, state);
      if (end > 0) return add(out, i, end, PhiType.NAME);
    }
    return e;
  }

  /**
   * Whether a day could follow a month's name ending at {@code e} ("March 2", "Mar. 2"): a space and a digit, the
   * least a textual date needs after its month ({@link DateDetector}), and far cheaper to look for than the month.
   */
  private static boolean dayMayFollow(char[] s, int e, int limit) {
    int i = e < limit && s[e] == '.' ? e + 1 : e;
    return i + 1 < limit && s[i] == ' ' && isDigit(s[i + 1]);
  }

  private static int number(char[] s, int i, int e, int from, int limit, ScanState state, Spans out) {
    // Inside a chain such as 2024-05-01 or 1.2.3.4.5 a later part is no identifier of its own.
    boolean chained = i - 2 >= from && (s[i - 1] == '-' || s[i - 1] == '.') && isDigit(s[i - 2]);
    if (!chained) {
      int end = numeric(s, i, e, limit, state, out);
      if (end > 0) return end;
    }
    // The digits are counted first: they are cheaper than the cue, which may read the words after the number.
    int end = mrnEnd(s, i, limit);
    if (end > 0 && state.near(Cue.MRN, i, e)) {
      state.consume(Cue.MRN);
      return add(out, i, end, PhiType.MRN);
    }
    return chainEnd(s, e, limit);
  }

  /**
   * The numeric detectors in their order (date, SSN, card, phone, NPI, IPv4) on the digits-only token [i, e), each
   * asked only when the token's length fits its format ({@link #numericFits}). The end of what was found, or -1.
   */
  private static int numeric(char[] s, int i, int e, int limit, ScanState state, Spans out) {
    int fits = numericFits(s, e, e - i, limit);
    int end;
    if ((fits & 1) != 0 && (end = DATE.match(s, i, limit, state)) > 0) {
      // A person-date cue covers the one date after it: "born 1985-03-02, invoiced 2024-05-01".
      state.consume(Cue.PERSON_DATE);
      return add(out, i, end, PhiType.DATE);
    }
    if ((fits & 1 << 1) != 0 && (end = SSN.match(s, i, limit, state)) > 0) return add(out, i, end, PhiType.SSN);
    if ((fits & 1 << 2) != 0 && (end = CARD.match(s, i, limit, state)) > 0) return add(out, i, end, PhiType.CARD);
    if ((fits & 1 << 3) != 0 && (end = PHONE.match(s, i, limit, state)) > 0) return add(out, i, end, PhiType.PHONE);
    if ((fits & 1 << 4) != 0 && (end = NPI.match(s, i, limit, state)) > 0) return add(out, i, end, PhiType.NPI);
    if ((fits & 1 << 5) != 0 && (end = IPV4.match(s, i, limit, state)) > 0) return add(out, i, end, PhiType.IP);
    return -1;
  }

  /** The numeric detectors in the order {@link #numeric} tries them, for tests of {@link #numericFits}. */
  static List<Detector> numericDetectors() {
    return List.of(NUMERIC);
  }

  /**
   * Which of {@link #NUMERIC} (bit k for the k-th) could match a token of {@code digits} digits ending at {@code e},
   * from the least each format needs of its first run of digits: a date at most four before a separator or eight,
   * an SSN three or nine, a card at most nineteen (thirteen at least, or a group before a space or dash), a phone
   * one (the {@code 1} of {@code 1-555-...}), three or ten, an NPI ten, an IPv4 address at most three before a dot.
   * Most numbers in a payload fit one or two; asking only those is the same answer for less work.
   */
  static int numericFits(char[] s, int e, int digits, int limit) {
    char next = e < limit ? s[e] : 0;
    int fits = 0;
    if (digits <= 4 || digits == 8) fits |= 1;
    if (digits == 3 || digits == 9) fits |= 1 << 1;
    boolean grouped = (next == ' ' || next == '-') && e + 1 < limit && isDigit(s[e + 1]);
    if (digits <= 19 && (digits >= 13 || grouped)) fits |= 1 << 2;
    if (digits == 1 || digits == 3 || digits == 10) fits |= 1 << 3;
    if (digits == 10) fits |= 1 << 4;
    if (digits <= 3 && next == '.') fits |= 1 << 5;
    return fits;
  }

  private static int medicalRecord(char[] s, int i, int e, int digits, int limit, ScanState state, Spans out) {
    if (digits > 0) {
      int end = mrnEnd(s, i, limit);
      if (end > 0 && state.near(Cue.MRN, i, e)) {
        state.consume(Cue.MRN);
        return add(out, i, end, PhiType.MRN);
      }
    }
    return e;
  }

  /** A medical record number after its cue: word characters, dashes between them, at least four digits. */
  private static int mrnEnd(char[] s, int i, int limit) {
    int digits = 0;
    int j = i;
    while (j < limit) {
      if (isWordChar(s[j])) {
        if (isDigit(s[j])) digits++;
        j++;
      } else if (s[j] == '-' && j + 1 < limit && isWordChar(s[j + 1]) && j > i) {
        j++;
      } else {
        break;
      }
    }
    return digits >= MIN_MRN_DIGITS ? j : -1;
  }

  /** Past the rest of a chain of tokens joined by - . / : (a version, a time, a product code). */
  private static int chainEnd(char[] s, int e, int limit) {
    int j = e;
    while (j + 1 < limit && (s[j] == '-' || s[j] == '.' || s[j] == '/' || s[j] == ':') && isWordChar(s[j + 1])) {
      j++;
      while (j < limit && isWordChar(s[j])) j++;
    }
    return j;
  }

  /** 8-4-4-4-12 hex digits: a UUID, never an identifier of a person, skipped whole. */
  private static boolean isUuid(char[] s, int i, int limit) {
    if (i + 36 > limit) return false;
    for (int k = 0; k < 36; k++) {
      char c = s[i + k];
      boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
      if (dash ? c != '-' : !isHex(c)) return false;
    }
    return i + 36 == limit || !isWordChar(s[i + 36]);
  }

  /**
   * The first pass: every URL and e-mail address, in order, none overlapping; and whether the text holds anything
   * the second pass could start from. Every other detector needs an ASCII digit (numbers, phones, MBI, DEA, MRN,
   * dates), a colon (IPv6) or a capital (names), so a text without them, a link or an address ("approved",
   * "female") is done here.
   */
  private static boolean findLinksAndAddresses(char[] s, int from, int to, Spans reserved) {
    boolean candidates = false;
    int lastEnd = from;
    for (int i = from; i < to; i++) {
      char c = s[i];
      if (c >= 0x80) continue;
      byte kind = KINDS[c];
      if (kind == PLAIN) continue;
      if (kind != LINK_START) candidates = true;
      if (kind == CANDIDATE) continue;
      long span;
      PhiType type;
      if (c == '@') {
        span = EmailDetector.around(s, i, lastEnd, to);
        type = PhiType.EMAIL;
      } else if (c == ':' && i + 2 < to && s[i + 1] == '/' && s[i + 2] == '/') {
        span = UrlDetector.around(s, i, lastEnd, to);
        type = PhiType.URL;
      } else if ((c | 0x20) == 'w' && i + 3 < to && s[i + 3] == '.' && (s[i + 1] | 0x20) == 'w'
          && (s[i + 2] | 0x20) == 'w') {
        span = UrlDetector.around(s, i, lastEnd, to);
        type = PhiType.URL;
      } else {
        continue;
      }
      if (span < 0) continue;
      int start = (int) (span >>> 32);
      int end = (int) span;
      if (start < lastEnd) continue;
      reserved.add(start, end, type);
      lastEnd = end;
      i = end - 1;
    }
    return candidates || reserved.count() > 0;
  }

  private static int add(Spans out, int start, int end, PhiType type) {
    out.add(start, end, type);
    return end;
  }
}
