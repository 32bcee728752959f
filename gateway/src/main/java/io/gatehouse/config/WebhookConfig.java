package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Signature verification for one webhook path.
 *
 * @param scheme github | stripe | slack | shopify | standard | hmac-sha256
 * @param secrets any one may match, so a secret can be rolled
 * @param tolerance how far a signed timestamp may be from now, either way
 * @param generic the settings of scheme {@code hmac-sha256}; empty for every other scheme
 */
public record WebhookConfig(String path, String scheme, List<Secret> secrets, Duration tolerance,
    Optional<GenericHmac> generic) {
  public WebhookConfig {
    secrets = List.copyOf(secrets);
    Objects.requireNonNull(generic, "generic");
  }

  /** A webhook of one of the named schemes, which need no settings beyond secrets and tolerance. */
  public WebhookConfig(String path, String scheme, List<Secret> secrets, Duration tolerance) {
    this(path, scheme, secrets, tolerance, Optional.empty());
  }

  /**
   * How a sender without a named scheme signs: an HMAC-SHA256 in one header.
   *
   * @param header the header carrying the signature, e.g. {@code X-Signature}
   * @param prefix written before the encoded digest, e.g. {@code sha256=}; empty for none
   * @param timestampHeader the header with the signed Unix time in seconds; present exactly when {@code signed} is
   *     {@link Signed#TIMESTAMP_BODY}
   * @param idHeader the header with the sender's delivery id, used as the replay key; empty to use the signature
   */
  public record GenericHmac(String header, Encoding encoding, String prefix, Signed signed,
      Optional<String> timestampHeader, Optional<String> idHeader) {
    public GenericHmac {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(encoding, "encoding");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(signed, "signed");
      if (timestampHeader.isPresent() != (signed == Signed.TIMESTAMP_BODY)) {
        throw new IllegalArgumentException("timestamp header is required by, and only by, signed: timestamp.body");
      }
    }

    /** How the digest is written in the header. */
    public enum Encoding { HEX, BASE64 }

    /** What the HMAC covers: the raw body, or {@code "<timestamp>.<body>"}. */
    public enum Signed { BODY, TIMESTAMP_BODY }
  }
}
