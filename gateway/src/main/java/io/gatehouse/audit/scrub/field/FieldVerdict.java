package io.gatehouse.audit.scrub.field;

import io.gatehouse.audit.scrub.PhiType;

/**
 * What to do with a field's value, decided from its name alone: redact it whole as {@code type}, keep it as sent
 * (an allow key), or scan it with the value detectors, with the cues its name gives ({@code cueBits}, a set of
 * {@link io.gatehouse.audit.scrub.detect.Cue} bits).
 */
public record FieldVerdict(Action action, PhiType type, int cueBits) {
  /** The three outcomes. */
  public enum Action { REDACT, ALLOW, SCAN }

  public static final FieldVerdict SCAN = new FieldVerdict(Action.SCAN, null, 0);
  public static final FieldVerdict ALLOW = new FieldVerdict(Action.ALLOW, null, 0);

  public static FieldVerdict redact(PhiType type) {
    return new FieldVerdict(Action.REDACT, type, 0);
  }

  public static FieldVerdict scan(int cueBits) {
    return cueBits == 0 ? SCAN : new FieldVerdict(Action.SCAN, null, cueBits);
  }

  public boolean redacts() {
    return action == Action.REDACT;
  }
}
