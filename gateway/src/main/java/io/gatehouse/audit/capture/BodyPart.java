package io.gatehouse.audit.capture;

/** Which body of an exchange a payload entry holds. */
public enum BodyPart {
  REQUEST("request"),
  RESPONSE("response");

  private final String word;

  BodyPart(String word) {
    this.word = word;
  }

  /** As the entry's {@code part} field writes it. */
  public String word() {
    return word;
  }
}
