package io.gatehouse.audit.note;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The public keys a log's checkpoints may be signed with, each trusted for checkpoints whose signed time lies in its
 * window {@code [from, until)}: rotation without losing the ability to check old checkpoints, and a key that leaked
 * and was retired cannot sign a checkpoint dated after its retirement without {@code verify-log} saying so.
 */
public record KeyRing(List<Trusted> keys) {
  /** A key and its window; an absent bound is open. */
  public record Trusted(NoteKey key, Optional<Instant> from, Optional<Instant> until) {
    boolean covers(Optional<Instant> time) {
      if (from.isEmpty() && until.isEmpty()) return true;
      if (time.isEmpty()) return false;
      return from.map(f -> !time.get().isBefore(f)).orElse(true) && until.map(u -> time.get().isBefore(u)).orElse(true);
    }
  }

  /** How a checkpoint's signatures stand against the ring. */
  public enum Verdict {
    /** Signed by a key of the ring, within its window. */
    VALID,
    /** No signature line at all (a log written without {@code audit.signing_key}). */
    UNSIGNED,
    /** No signature by any key of the ring verifies. */
    BAD_SIGNATURE,
    /** A key of the ring signed it, but its time lies outside that key's window. */
    OUTSIDE_WINDOW
  }

  public KeyRing {
    keys = List.copyOf(keys);
  }

  public static KeyRing of(NoteKey... keys) {
    return new KeyRing(java.util.Arrays.stream(keys).map(k -> new Trusted(k, Optional.empty(), Optional.empty())).toList());
  }

  /** Judges a note whose checkpoint time is {@code time}; {@code note} is the whole signed note text. */
  public Verdict judge(String note, Optional<Instant> time) {
    Optional<SignedNote> signed = SignedNote.parse(note);
    if (signed.isEmpty()) return SignedNote.isValidText(note) ? Verdict.UNSIGNED : Verdict.BAD_SIGNATURE;
    boolean signedOutside = false;
    for (Trusted trusted : keys) {
      if (!signed.get().signedBy(trusted.key())) continue;
      if (trusted.covers(time)) return Verdict.VALID;
      signedOutside = true;
    }
    return signedOutside ? Verdict.OUTSIDE_WINDOW : Verdict.BAD_SIGNATURE;
  }

  /** The text of a note without its signatures: the checkpoint body of a signed or an unsigned note. */
  public static String textOf(String note) {
    return SignedNote.parse(note).map(SignedNote::text).orElse(note);
  }
}
