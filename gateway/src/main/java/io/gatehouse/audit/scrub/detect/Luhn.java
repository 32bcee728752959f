package io.gatehouse.audit.scrub.detect;

/** The Luhn mod-10 check (ISO/IEC 7812-1 Annex B) used by payment cards and, with a prefix, NPIs. */
public final class Luhn {
  private Luhn() {}

  /** Whether the digits (as 0-9 values) pass, the last one being the check digit. */
  public static boolean valid(int[] digits, int count) {
    return sum(digits, count, 0) % 10 == 0;
  }

  /**
   * The Luhn sum of the digits, as if {@code extraDoubled} more digits preceded them whose contribution is
   * already in {@code base}: lets NPI's constant prefix 80840 be added without building a longer number.
   */
  static int sum(int[] digits, int count, int base) {
    int sum = base;
    boolean doubled = false;
    for (int i = count - 1; i >= 0; i--) {
      int d = digits[i];
      if (doubled) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      doubled = !doubled;
    }
    return sum;
  }

  /** The check digit that makes {@code digits} followed by it pass. */
  public static int checkDigit(int[] digits, int count) {
    int[] padded = java.util.Arrays.copyOf(digits, count + 1);
    int sum = sum(padded, count + 1, 0);
    return (10 - sum % 10) % 10;
  }
}
