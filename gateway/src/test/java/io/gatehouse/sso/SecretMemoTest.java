package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecretMemoTest {
  private final SecretMemo<String> memo = new SecretMemo<>(100, Duration.ofMinutes(1));

  @Test void givesBackOnlyWhatWasPutForExactlyThatString() {
    memo.put("token-1", "one");

    assertThat(memo.get("token-1")).isEqualTo("one");
    assertThat(memo.get("token-2")).isNull();
    assertThat(memo.get("token-1 ")).isNull();
    assertThat(memo.get("")).isNull();
  }

  /** "Aa" and "BB" have the same hash code: they share a slot, and neither is ever taken for the other. */
  @Test void twoStringsWithOneHashCodeAreNeverConfused() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    memo.put("Aa", "first");

    assertThat(memo.get("BB")).isNull();
    memo.put("BB", "second");
    assertThat(memo.get("BB")).isEqualTo("second");
    assertThat(memo.get("Aa")).as("replaced: checked again by its caller").isNull();
  }
}
