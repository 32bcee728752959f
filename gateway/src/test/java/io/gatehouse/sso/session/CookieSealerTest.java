package io.gatehouse.sso.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookieSealerTest {
  private static final byte[] CURRENT = secret('c');
  private static final byte[] PREVIOUS = secret('p');
  private static final byte[] PAYLOAD = "{\"s\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

  private final CookieSealer sealer = new CookieSealer("session", List.of(CURRENT));

  @Test
  void opensWhatItSealed() {
    String sealed = sealer.seal(PAYLOAD);

    assertThat(sealer.open(sealed)).hasValueSatisfying(p -> assertThat(p).isEqualTo(PAYLOAD));
    assertThat(sealed).matches("[A-Za-z0-9_-]+");
    assertThat(sealer.open(sealer.seal(new byte[0]))).hasValueSatisfying(p -> assertThat(p).isEmpty());
  }

  @Test
  void anotherReplicaWithTheSameSecretOpensIt() {
    String sealed = sealer.seal(PAYLOAD);

    assertThat(new CookieSealer("session", List.of(CURRENT)).open(sealed)).isPresent();
  }

  @Test
  void twoSealsOfTheSamePayloadDifferBecauseOfTheNonce() {
    String first = sealer.seal(PAYLOAD);
    String second = sealer.seal(PAYLOAD);

    assertThat(first).isNotEqualTo(second);
    byte[] a = CanonicalBase64Url.decode(first).orElseThrow();
    byte[] b = CanonicalBase64Url.decode(second).orElseThrow();
    assertThat(java.util.Arrays.copyOfRange(a, 5, 17)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 5, 17));
  }

  @Test
  void refusesEveryBitFlipOfTheSealedBytes() {
    byte[] raw = CanonicalBase64Url.decode(sealer.seal(PAYLOAD)).orElseThrow();
    for (int i = 0; i < raw.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] tampered = raw.clone();
        tampered[i] ^= (byte) (1 << bit);
        assertThat(sealer.open(CanonicalBase64Url.encode(tampered))).as("byte %d bit %d", i, bit).isEmpty();
      }
    }
  }

  @Test
  void refusesEverySingleCharacterChangeOfTheSealedText() {
    String sealed = sealer.seal(PAYLOAD);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";
    for (int i = 0; i < sealed.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == sealed.charAt(i)) continue;
        String tampered = sealed.substring(0, i) + c + sealed.substring(i + 1);
        assertThat(sealer.open(tampered)).as("position %d to %s", i, c).isEmpty();
      }
    }
  }

  @Test
  void refusesTruncationAndExtension() {
    String sealed = sealer.seal(PAYLOAD);
    for (int length = 0; length < sealed.length(); length++) {
      assertThat(sealer.open(sealed.substring(0, length))).as("first %d chars", length).isEmpty();
    }
    assertThat(sealer.open(sealed + "A")).isEmpty();
    assertThat(sealer.open(sealed + "AA")).isEmpty();
    assertThat(sealer.open(sealed + "AAAA")).isEmpty();
    assertThat(sealer.open(sealed.substring(1))).isEmpty();
    byte[] raw = CanonicalBase64Url.decode(sealed).orElseThrow();
    byte[] longer = java.util.Arrays.copyOf(raw, raw.length + 1);
    assertThat(sealer.open(CanonicalBase64Url.encode(longer))).isEmpty();
  }

  @Test
  void aValueSealedForOnePurposeNeverOpensForAnother() {
    CookieSealer login = new CookieSealer("login", List.of(CURRENT));

    assertThat(login.open(sealer.seal(PAYLOAD))).isEmpty();
    assertThat(sealer.open(login.seal(PAYLOAD))).isEmpty();
  }

  @Test
  void opensValuesOfAPreviousSecretWhileItIsListedAndSealsWithTheCurrentOne() {
    CookieSealer before = new CookieSealer("session", List.of(PREVIOUS));
    String old = before.seal(PAYLOAD);
    CookieSealer rotating = new CookieSealer("session", List.of(CURRENT, PREVIOUS));
    CookieSealer after = new CookieSealer("session", List.of(CURRENT));

    assertThat(rotating.open(old)).as("old secret listed as previous").isPresent();
    assertThat(after.open(old)).as("old secret dropped").isEmpty();
    String fresh = rotating.seal(PAYLOAD);
    assertThat(after.open(fresh)).as("new seals use the current secret").isPresent();
    assertThat(before.open(fresh)).isEmpty();
  }

  @Test
  void theKeyIdDiffersPerSecretAndPurposeAndIsNotTheSecret() {
    byte[] a = CanonicalBase64Url.decode(sealer.seal(PAYLOAD)).orElseThrow();
    byte[] b = CanonicalBase64Url.decode(new CookieSealer("session", List.of(PREVIOUS)).seal(PAYLOAD)).orElseThrow();
    byte[] c = CanonicalBase64Url.decode(new CookieSealer("login", List.of(CURRENT)).seal(PAYLOAD)).orElseThrow();

    assertThat(a[0]).isEqualTo(CookieSealer.VERSION);
    assertThat(java.util.Arrays.copyOfRange(a, 1, 5)).isNotEqualTo(java.util.Arrays.copyOfRange(b, 1, 5))
        .isNotEqualTo(java.util.Arrays.copyOfRange(c, 1, 5))
        .isNotEqualTo(java.util.Arrays.copyOfRange(CURRENT, 0, 4));
  }

  @Test
  void refusesAnUnknownVersion() {
    byte[] raw = CanonicalBase64Url.decode(sealer.seal(PAYLOAD)).orElseThrow();
    raw[0] = 2;
    assertThat(sealer.open(CanonicalBase64Url.encode(raw))).isEmpty();
  }

  @Test
  void hostileInputsComeBackEmptyWithoutExceptions() {
    SecureRandom random = new SecureRandom();
    List<String> hostile = new java.util.ArrayList<>(List.of("", "A", "AA", "====", "not base64 at all!",
        "\u0000\u0001", "é".repeat(10), "A".repeat(CookieSealer.MAX_SEALED_CHARS + 1), "A".repeat(1_000_000),
        "AQAAAAA", CanonicalBase64Url.encode(new byte[33])));
    for (int length = 0; length < 200; length += 7) {
      byte[] garbage = new byte[length];
      random.nextBytes(garbage);
      hostile.add(CanonicalBase64Url.encode(garbage));
      garbage = garbage.clone();
      if (length > 0) garbage[0] = CookieSealer.VERSION;
      hostile.add(CanonicalBase64Url.encode(garbage));
    }
    for (String value : hostile) {
      assertThat(sealer.open(value)).isEqualTo(Optional.empty());
    }
    assertThat(sealer.open(null)).isEmpty();
  }

  @Test
  void refusesShortSecretsAndOddPurposes() {
    assertThatThrownBy(() -> new CookieSealer("session", List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CookieSealer("session", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CookieSealer("Session/1", List.of(CURRENT)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] secret(char fill) {
    return String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII);
  }
}
