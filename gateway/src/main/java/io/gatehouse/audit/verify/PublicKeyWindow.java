package io.gatehouse.audit.verify;

import io.gatehouse.audit.note.KeyRing;
import io.gatehouse.audit.note.NoteKey;
import java.time.Instant;
import java.util.Optional;

/**
 * A public key handed to {@code verify-log}, trusted for checkpoints signed within {@code [from, until)}. Its name
 * is the origin of the log it is checked against (Gatehouse names its key after the log's origin), so one set of
 * keys serves every replica's log.
 */
public record PublicKeyWindow(byte[] publicKey, Optional<Instant> from, Optional<Instant> until) {
  public PublicKeyWindow {
    publicKey = publicKey.clone();
  }

  public KeyRing.Trusted forOrigin(String origin) {
    return new KeyRing.Trusted(new NoteKey(origin, publicKey), from, until);
  }
}
