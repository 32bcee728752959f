package io.gatehouse.audit.evidence;

import java.nio.file.Path;

/** {@link SampleLog} for tests outside this package (the command line's). */
public final class EvidenceSamples {
  private EvidenceSamples() {}

  /** Where the sample logs and their public keys are. */
  public record Written(Path r1, Path r2, Path publicKey, Path secondPublicKey) {}

  public static Written write(Path root) throws Exception {
    SampleLog sample = SampleLog.write(root);
    return new Written(sample.r1, sample.r2, sample.publicKey, sample.secondPublicKey);
  }

  /** A copy of {@code dir} in {@code copy} with {@code from} replaced by {@code to} in the first entry holding it. */
  public static Path copyAndEdit(Path dir, Path copy, String from, String to) throws Exception {
    LogCopies.copy(dir, copy);
    return LogCopies.editFirstMatch(copy, from, to);
  }
}
