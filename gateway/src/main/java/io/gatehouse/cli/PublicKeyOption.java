package io.gatehouse.cli;

import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.verify.PublicKeyWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code --public-key FILE[@FROM..UNTIL]}: a public key, optionally trusted only for checkpoints signed in a window
 * (key rotation). {@code FROM} and {@code UNTIL} are UTC times or days ({@code 2026-12-01} is its midnight); either
 * may be left out.
 */
final class PublicKeyOption {
  private PublicKeyOption() {}

  static PublicKeyWindow read(String option) throws IOException {
    String file = option;
    Optional<Instant> from = Optional.empty();
    Optional<Instant> until = Optional.empty();
    int at = option.lastIndexOf('@');
    if (at > 0 && option.indexOf("..", at) > at) {
      file = option.substring(0, at);
      String window = option.substring(at + 1);
      int dots = window.indexOf("..");
      from = time(window.substring(0, dots), option);
      until = time(window.substring(dots + 2), option);
    }
    return new PublicKeyWindow(AuditKeyFiles.readPublicKey(Path.of(file)), from, until);
  }

  private static Optional<Instant> time(String text, String option) throws IOException {
    if (text.isEmpty()) return Optional.empty();
    try {
      if (text.length() == 10) return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new IOException("--public-key " + option + ": \"" + text + "\" is not a UTC time or day"
          + " (expected e.g. audit.pub@2026-01-01..2026-12-01T12:00:00Z)");
    }
  }
}
