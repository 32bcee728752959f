package io.gatehouse.sso.n8n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class N8nIdentityAssertionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00.750Z");

  /**
   * The checked-in vector was computed by Node's crypto, not by this class; N8nIdentityHookIT has the hook's own
   * verifier accept the same vector, so signer and verifier agree byte for byte.
   */
  @Test
  void signsTheCheckedInVectorByteForByte() throws Exception {
    JsonNode vector = vector();
    N8nIdentityAssertion signer =
        new N8nIdentityAssertion(vector.get("secret").asText().getBytes(StandardCharsets.UTF_8));

    String assertion = signer.sign(vector.get("subject").asText(), vector.get("email").asText(),
        vector.get("name").asText(), vector.get("mfa").asBoolean(), Instant.ofEpochSecond(vector.get("now").asLong()),
        Duration.ofSeconds(vector.get("ttlSeconds").asLong()));

    assertThat(assertion).isEqualTo(vector.get("assertion").asText());
  }

  @Test
  void payloadCarriesTheClaimsInTheFixedShapeWithSecondsSinceTheEpoch() throws Exception {
    String assertion = new N8nIdentityAssertion(SECRET)
        .sign("sub-1", "bob@example.test", "Bob Builder", false, NOW, Duration.ofSeconds(30));

    JsonNode claims = payload(assertion);
    List<String> names = new ArrayList<>();
    claims.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("iss", "aud", "sub", "email", "name", "mfa", "iat", "exp");
    assertThat(claims.get("iss").asText()).isEqualTo("gatehouse");
    assertThat(claims.get("aud").asText()).isEqualTo("n8n");
    assertThat(claims.get("sub").asText()).isEqualTo("sub-1");
    assertThat(claims.get("email").asText()).isEqualTo("bob@example.test");
    assertThat(claims.get("name").asText()).isEqualTo("Bob Builder");
    assertThat(claims.get("mfa").isBoolean()).isTrue();
    assertThat(claims.get("mfa").asBoolean()).isFalse();
    assertThat(claims.get("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(claims.get("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 30);
  }

  @Test
  void macIsHmacSha256OverVersionAndPayloadUnpadded() throws Exception {
    String assertion = new N8nIdentityAssertion(SECRET).sign("s", "a@b.test", null, true, NOW, Duration.ofSeconds(5));

    String[] parts = assertion.split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("v1");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    byte[] expected = mac.doFinal(("v1." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(parts[2]).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected));
    assertThat(assertion).doesNotContain("=", "+", "/");
  }

  @Test
  void nameIsOmittedWhenAbsent() throws Exception {
    String assertion = new N8nIdentityAssertion(SECRET).sign("s", "a@b.test", null, true, NOW, Duration.ofSeconds(5));

    assertThat(payload(assertion).has("name")).isFalse();
  }

  @Test
  void namesNeedingEscapesRoundTripAsJson() throws Exception {
    String name = "Eve \"the\" O'Brien \\ </script>\n\t Zoë 😀";
    String assertion = new N8nIdentityAssertion(SECRET).sign("s\"}", "e@x.test", name, false, NOW,
        Duration.ofSeconds(5));

    JsonNode claims = payload(assertion);
    assertThat(claims.get("name").asText()).isEqualTo(name);
    assertThat(claims.get("sub").asText()).isEqualTo("s\"}");
    assertThat(claims.get("aud").asText()).isEqualTo("n8n");
  }

  @Test
  void refusesASecretShorterThan32Bytes() {
    assertThatThrownBy(() -> new N8nIdentityAssertion(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }

  @Test
  void refusesALifetimeOverSixtySecondsOrNotWholeSeconds() {
    N8nIdentityAssertion signer = new N8nIdentityAssertion(SECRET);

    assertThatThrownBy(() -> signer.sign("s", "a@b.test", null, false, NOW, Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("s", "a@b.test", null, false, NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("s", "a@b.test", null, false, NOW, Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(signer.sign("s", "a@b.test", null, false, NOW, Duration.ofSeconds(60))).startsWith("v1.");
  }

  @Test
  void refusesABlankSubjectOrEmail() {
    N8nIdentityAssertion signer = new N8nIdentityAssertion(SECRET);

    assertThatThrownBy(() -> signer.sign(" ", "a@b.test", null, false, NOW, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
    assertThatThrownBy(() -> signer.sign("s", null, null, false, NOW, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email");
  }

  @Test
  void keepsItsOwnCopyOfTheSecret() {
    byte[] secret = SECRET.clone();
    N8nIdentityAssertion signer = new N8nIdentityAssertion(secret);
    String before = signer.sign("s", "a@b.test", null, false, NOW, Duration.ofSeconds(5));

    secret[0] ^= 1;

    assertThat(signer.sign("s", "a@b.test", null, false, NOW, Duration.ofSeconds(5))).isEqualTo(before);
  }

  static JsonNode vector() throws Exception {
    try (InputStream in = N8nIdentityAssertionTest.class.getResourceAsStream("/n8n/identity-assertion-vector.json")) {
      assertThat(in).as("test resource n8n/identity-assertion-vector.json").isNotNull();
      return JSON.readTree(in);
    }
  }

  private static JsonNode payload(String assertion) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]));
  }
}
