package io.gatehouse.audit.verify;

import java.nio.file.Path;

/**
 * One thing {@code verify-log} found, printed as {@code VERDICT file:line detail} (CONTRACT.md).
 *
 * @param order where it was found in the reading order, so findings from parallel signature checks print in place
 */
public record Finding(Verdict verdict, Path file, long line, String detail, long order) {

  /** What a finding means. Every verdict but {@link #UNSEALED} fails the verification. */
  public enum Verdict {
    /** An entry's bytes are not those the next entry's {@code prev} names. */
    MODIFIED,
    /** A second, different entry with a sequence number already used. */
    INSERTED,
    /** Sequence numbers missing from the log. */
    DELETED,
    /** An entry after one with a higher sequence number. */
    REORDERED,
    /** The same entry twice. */
    DUPLICATED,
    /** A line that is neither an entry nor a checkpoint, or a cut-off line in a sealed segment. */
    MALFORMED,
    /** A checkpoint whose size or root is not that of the entries before it. */
    MISMATCH,
    /** A checkpoint without a signature. */
    UNSIGNED,
    /** A checkpoint no trusted key's signature verifies. */
    BAD_SIGNATURE,
    /** A checkpoint signed by a trusted key outside that key's validity window. */
    KEY_WINDOW,
    /** A checkpoint of another origin inside this log. */
    ORIGIN,
    /** A checkpoint of a smaller tree after one of a larger tree. */
    ROLLBACK,
    /** Two checkpoints of one size with different roots. */
    FORK,
    /** Sequence numbers no segment holds, by the segments' names. */
    MISSING_SEGMENT,
    /** A sealed segment whose name does not match its contents. */
    SEGMENT_NAME,
    /** A witnessed checkpoint of a larger tree than the log holds. */
    TRUNCATED,
    /** The latest checkpoint is older than {@code --max-staleness}. */
    STALE,
    /** The log has no checkpoint at all. */
    NO_CHECKPOINT,
    /** Entries after the last checkpoint: not covered by a signature yet (reported, not a failure). */
    UNSEALED;

    public boolean fails() {
      return this != UNSEALED;
    }
  }

  public String format() {
    return verdict + " " + file + ":" + line + " " + detail;
  }
}
