package io.gatehouse.cli;

import io.gatehouse.audit.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit log's {@code config} entries: which file, its SHA-256 (the bytes as written, {@code ${env:}} references
 * and all, so an auditor can match a version kept in git), and the key paths a reload changed. Never a value.
 */
final class ConfigEvents {
  private ConfigEvents() {}

  /** A config file as it was read: its text and hash. */
  record Snapshot(Path file, String text, String sha256) {
    static Snapshot read(Path file) {
      try {
        byte[] bytes = Files.readAllBytes(file);
        return new Snapshot(file, new String(bytes, StandardCharsets.UTF_8), hex(bytes));
      } catch (IOException e) {
        // The loader has just read it; if it is gone now, the entry says so rather than failing the load.
        return new Snapshot(file, "", "unreadable");
      }
    }
  }

  static LogEvent loaded(Snapshot now) {
    return LogEvent.of("config", Instant.now(), "event", "load", "path", now.file().toString(), "sha256", now.sha256());
  }

  static LogEvent reloaded(Snapshot before, Snapshot now, List<String> restartNeeded) {
    return LogEvent.of("config", Instant.now(), "event", "reload", "path", now.file().toString(),
        "sha256", now.sha256(), "previous_sha256", before.sha256(),
        "changed", ConfigDiff.changedPaths(before.text(), now.text()),
        "restart_needed", restartNeeded.isEmpty() ? null : restartNeeded);
  }

  static LogEvent refused(Snapshot attempted, int errors) {
    return LogEvent.of("config", Instant.now(), "event", "reload_refused", "path", attempted.file().toString(),
        "sha256", attempted.sha256(), "errors", (long) errors);
  }

  private static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
