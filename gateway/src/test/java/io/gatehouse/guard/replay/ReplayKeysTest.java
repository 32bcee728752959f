package io.gatehouse.guard.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayKeysTest {
  @Test
  void sameDeliveryGivesTheSameKey() {
    assertThat(ReplayKeys.of("github", "/webhook/a", "id-1")).isEqualTo(ReplayKeys.of("github", "/webhook/a", "id-1"));
  }

  @Test
  void schemePathAndIdEachSeparateKeys() {
    String key = ReplayKeys.of("github", "/webhook/a", "id-1");
    assertThat(ReplayKeys.of("stripe", "/webhook/a", "id-1")).isNotEqualTo(key);
    assertThat(ReplayKeys.of("github", "/webhook/b", "id-1")).isNotEqualTo(key);
    assertThat(ReplayKeys.of("github", "/webhook/a", "id-2")).isNotEqualTo(key);
    assertThat(ReplayKeys.of("github", "/webhook/ai", "d-1")).isNotEqualTo(ReplayKeys.of("github", "/webhook/a", "id-1"));
  }

  @Test
  void keyIsAHashThatHoldsNoSenderDataInClear() {
    String key = ReplayKeys.of("github", "/webhook/claims-intake", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    assertThat(key).matches("[0-9a-f]{64}").doesNotContain("72d3162e").doesNotContain("claims");
  }
}
