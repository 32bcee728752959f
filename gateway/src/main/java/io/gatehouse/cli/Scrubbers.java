package io.gatehouse.cli;

import io.gatehouse.audit.note.AuditKeyFiles;
import io.gatehouse.audit.scrub.ScrubKey;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.config.AuditConfig;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.core.PayloadCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The one place {@code audit.scrub} and the signing key become a {@link Scrubber}: the gateway's and the CLI's. */
final class Scrubbers {
  private Scrubbers() {}

  /**
   * The scrubber for a config whose routes log payloads; empty when none does. {@code check} has made sure such a
   * config has a signing key; its file is read again here, so a reload that replaced it keys new bodies with it.
   */
  static Optional<Scrubber> forGateway(GatehouseConfig config) {
    boolean logging = config.routes().stream().anyMatch(r -> r.logPayloads() != PayloadCapture.OFF);
    if (!logging || config.audit().signingKey().isEmpty()) return Optional.empty();
    try {
      return Optional.of(new Scrubber(policy(config.audit().scrub(), hmacKey(config))));
    } catch (IOException e) {
      throw new UncheckedIOException("audit.signing_key: " + e.getMessage(), e);
    }
  }

  /** The HMAC key the gateway derives from {@code audit.signing_key}. */
  static byte[] hmacKey(GatehouseConfig config) throws IOException {
    return ScrubKey.fromSigningSeed(AuditKeyFiles.readSeed(config.audit().signingKey().orElseThrow()));
  }

  static ScrubPolicy policy(AuditConfig.Scrub scrub, byte[] hmacKey) {
    return new ScrubPolicy(scrub.keys(), scrub.allowKeys(), (int) Math.min(Integer.MAX_VALUE, scrub.maxPayload()),
        hmacKey);
  }
}
