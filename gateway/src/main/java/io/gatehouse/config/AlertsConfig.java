package io.gatehouse.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where anomaly alerts go besides the audit log and the metrics: a signed JSON POST per alert.
 *
 * @param webhook the receiver (https, or http to a loopback host); empty: no POSTs
 * @param secret the HMAC-SHA256 key of each POST's {@code X-Gatehouse-Signature}; present whenever {@code webhook} is
 */
public record AlertsConfig(Optional<URI> webhook, Optional<Secret> secret) {
  /** No {@code alerts:} section: alerts are audited and counted only. */
  public static final AlertsConfig NONE = new AlertsConfig(Optional.empty(), Optional.empty());

  public AlertsConfig {
    java.util.Objects.requireNonNull(webhook, "webhook");
    java.util.Objects.requireNonNull(secret, "secret");
  }
}
