package io.gatehouse.audit.scrub.detect;

/**
 * A kind of word near a value that says what the value is. Formats that are ambiguous alone (a bare 9-digit
 * number, a date, a 10-digit number) count as PHI only with their cue nearby, or in a field whose name gives it.
 */
public enum Cue {
  /** birth, born, DOB, admitted, discharge, death, died: a date tied to a person. */
  PERSON_DATE,
  /** SSN, social security. */
  SSN,
  /** phone, tel, call, fax, mobile, cell. */
  PHONE,
  /** MRN, medical record, chart. */
  MRN,
  /** Times and counters (epoch, timestamp, created): a 10-digit number there is a time, not an NPI. */
  TIME,
  /** patient, name, member, dear, hi: a capitalised word after it is likely a name. */
  NAME,
  /** Mr, Mrs, Ms, Dr: the capitalised words after it are a name. */
  TITLE;

  /** This cue as one bit of a set. */
  public int bit() {
    return 1 << ordinal();
  }
}
