package io.gatehouse.audit.scrub;

/**
 * What a redaction took out, written as {@code [REDACTED:TYPE]} with the constant's name: these names are part of
 * the audit log's format and never change. Value types are found by their own format (a detector in
 * {@code scrub.detect}); the others only by the field that holds them or by context in free text.
 */
public enum PhiType {
  SSN, CARD, NPI, DEA, MBI, PHONE, FAX, EMAIL, IP, URL, DATE, MRN, NAME,
  ADDRESS, HEALTH_PLAN, ACCOUNT, LICENSE, VEHICLE, DEVICE, BIOMETRIC, PHOTO,
  /** A field named in {@code audit.scrub.keys}. */
  KEY,
  /**
   * Not PHI but never logged either: a password, token, key or cookie field (n8n's login and credential calls carry
   * them in their bodies).
   */
  SECRET;

  private final String marker = "[REDACTED:" + name() + "]";

  /** The text written in place of a redacted value. */
  public String marker() {
    return marker;
  }
}
