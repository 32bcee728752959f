package io.gatehouse.audit.scrub.text;

import io.gatehouse.audit.scrub.detect.Cue;
import java.util.HashMap;
import java.util.Map;

/**
 * The words of free text that say what a nearby value is ({@link Cue}), and the words that never continue a name.
 * A cue of two words ("medical record", "social security", "patient id") is a prefix word and a suffix word: the
 * suffix is a cue only right after its prefix, since "record" or "number" alone says nothing.
 */
final class CueWords {
  static final int PREFIX_MEDICAL = 1 << 16;
  static final int PREFIX_SOCIAL = 1 << 17;
  static final int PREFIX_PATIENT = 1 << 18;
  static final int SUFFIX_RECORD = 1 << 19;
  static final int SUFFIX_SECURITY = 1 << 20;
  static final int SUFFIX_ID = 1 << 21;
  /** Never part of a person's name, even capitalised ("The", "Hospital", "Monday"). */
  static final int NOT_NAME = 1 << 22;

  /** Cue words longer than this are none: no table lookup for them. */
  private static final int MAX_LENGTH = 16;
  private static final WordTable TABLE = new WordTable(words());
  /** Per cue, the first letters of its words ({@code 1 << (letter - 'a')}), to skip most lookups for one cue. */
  private static final int[] FIRST_LETTERS = firstLetters();

  private CueWords() {}

  private static Map<String, Integer> words() {
    Map<String, Integer> words = new HashMap<>();
    cue(words, Cue.PERSON_DATE, "birth", "born", "dob", "birthday", "birthdate", "bday", "admitted", "admission", "admit",
        "admits", "admissions", "discharged", "discharge", "discharges", "died", "death", "deceased", "dod",
        "expired", "deaths", "birthdays", "d.o.b");
    cue(words, Cue.SSN, "ssn", "ssns", "itin", "ss");
    cue(words, Cue.PHONE, "phone", "phones", "tel", "telephone", "call", "called", "calling", "cell", "mobile", "fax",
        "contact", "text", "sms", "ph", "mob", "pager", "whatsapp", "reach", "callback", "ring", "dial");
    cue(words, Cue.MRN, "mrn", "mrns", "chart", "mr");
    cue(words, Cue.TIME, "epoch", "timestamp", "timestamps", "unix", "ts", "time", "created", "updated", "modified",
        "expires", "iat", "exp", "nbf", "millis", "seconds", "at", "finished", "started", "completed", "ended",
        "received", "sent");
    cue(words, Cue.NAME, "patient", "patients", "pt", "name", "named", "member", "insured", "subscriber", "client",
        "resident", "dear", "hi", "hello", "hey", "attn", "attention", "spouse", "guardian", "mother", "father",
        "son", "daughter", "husband", "wife", "sister", "brother", "caregiver", "doctor", "physician", "provider",
        "surgeon", "nurse", "caller", "recipient", "applicant", "borrower", "beneficiary", "employee", "customer",
        "regards", "sincerely", "thanks", "signed", "contact", "referred", "seen", "visited", "mom", "dad", "grandmother", "grandfather", "parent", "child");
    cue(words, Cue.TITLE, "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "madam", "mister");
    flag(words, PREFIX_MEDICAL, "medical", "health", "med");
    flag(words, PREFIX_SOCIAL, "social");
    flag(words, PREFIX_PATIENT, "patient", "pt", "member", "chart", "record", "account");
    flag(words, SUFFIX_RECORD, "record", "records", "rec");
    flag(words, SUFFIX_SECURITY, "security", "sec");
    flag(words, SUFFIX_ID, "id", "number", "no", "num", "nr");
    flag(words, NOT_NAME, "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "is", "was", "has", "had",
        "with", "from", "by", "as", "be", "are", "were", "will", "not", "this", "that", "it", "its", "we", "our",
        "you", "your", "he", "she", "his", "her", "they", "their", "hospital", "clinic", "medical", "center",
        "centre", "health", "healthcare", "care", "group", "inc", "llc", "ltd", "corp", "company", "university",
        "college", "school", "street", "st", "avenue", "ave", "road", "rd", "drive", "lane", "blvd", "suite",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "patient", "patients", "name", "member", "mrn", "dob", "ssn", "phone", "email", "fax", "id", "lab",
        "results", "result", "test", "order", "invoice", "claim", "report", "note", "notes", "status", "date",
        "department", "dept", "unit", "ward", "room", "floor", "county", "city", "state", "north", "south", "east",
        "west", "new", "saint", "mount", "fort", "lake", "park", "memorial", "general", "regional", "community",
        "foundation", "institute", "pharmacy", "labs", "laboratory", "diagnostics", "insurance", "plan", "bank");
    flag(words, NOT_NAME, "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev");
    return words;
  }

  private static int[] firstLetters() {
    int[] letters = new int[Cue.values().length];
    for (Map.Entry<String, Integer> word : words().entrySet()) {
      for (Cue cue : Cue.values()) {
        if ((word.getValue() & cue.bit()) != 0) letters[cue.ordinal()] |= 1 << (word.getKey().charAt(0) - 'a');
      }
    }
    return letters;
  }

  private static void cue(Map<String, Integer> words, Cue cue, String... list) {
    flag(words, cue.bit(), list);
  }

  private static void flag(Map<String, Integer> words, int bit, String... list) {
    for (String w : list) words.merge(w, bit, (a, b) -> a | b);
  }

  /** The cue bits and flags of the word at [from, to), 0 for none. */
  static int of(char[] s, int from, int to) {
    return to - from > MAX_LENGTH ? 0 : TABLE.get(s, from, to);
  }

  /** {@link #of(char[], int, int)} of a word whose {@link WordTable#key} the caller has. */
  static int of(char[] s, int from, int to, long key) {
    return to - from > MAX_LENGTH ? 0 : TABLE.get(s, from, to, key);
  }

  /** Whether the word at [from, to) is one of {@code cue}'s words. */
  static boolean isCue(Cue cue, char[] s, int from, int to) {
    char first = (char) (s[from] | 0x20);
    if (first < 'a' || first > 'z' || (FIRST_LETTERS[cue.ordinal()] & 1 << (first - 'a')) == 0) return false;
    return (of(s, from, to) & cue.bit()) != 0;
  }
}
