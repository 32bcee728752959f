package io.gatehouse.sso.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.sso.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JwkSetParserTest {
  private static final TestKey RSA = TestKey.rsa("rsa");
  private static final TestKey EC = TestKey.p256("ec");
  private static final TestKey ED = TestKey.ed25519("ed");

  @Test
  void readsRsaP256AndEd25519KeysIntoTheSamePublicKeys() {
    List<JsonWebKey> keys = parse("{\"keys\":[" + RSA.jwkJson() + "," + EC.jwkJson() + "," + ED.jwkJson() + "]}");

    assertThat(keys).extracting(JsonWebKey::kid).containsExactly("rsa", "ec", "ed");
    assertThat(keys.get(0).key().getEncoded()).isEqualTo(RSA.pair().getPublic().getEncoded());
    assertThat(keys.get(1).key().getEncoded()).isEqualTo(EC.pair().getPublic().getEncoded());
    assertThat(keys.get(2).key().getEncoded()).isEqualTo(ED.pair().getPublic().getEncoded());
    assertThat(keys.get(1).crv()).isEqualTo("P-256");
  }

  @Test
  void skipsKeysOfOtherTypesCurvesAndSizesAndKeepsTheRest() {
    String oct = "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"" + CanonicalBase64Url.encode(new byte[32]) + "\"}";
    String p384 = EC.jwkJson().deepCopy().put("crv", "P-384").put("kid", "p384").toString();
    String x25519 = ED.jwkJson().deepCopy().put("crv", "X25519").put("kid", "x25519").toString();
    String rsa1024 = TestKey.rsa("small", 1024).jwkJson().toString();
    String offCurve = EC.jwkJson().deepCopy().put("kid", "off").put("y", EC.jwkJson().get("x").textValue()).toString();
    String shortX = ED.jwkJson().deepCopy().put("kid", "short").put("x", "AAAA").toString();
    byte[] notAPoint = new byte[32];
    java.util.Arrays.fill(notAPoint, (byte) 0xFF); // y = 2^255 - 1 is not below the field prime
    String badEd = ED.jwkJson().deepCopy().put("kid", "bad-ed").put("x", CanonicalBase64Url.encode(notAPoint)).toString();
    String noKty = "{\"kid\":\"nokty\",\"n\":\"AQAB\",\"e\":\"AQAB\"}";
    String badBase64 = RSA.jwkJson().deepCopy().put("kid", "bad").put("n", "!!!").toString();
    String notObject = "\"text\"";

    List<JsonWebKey> keys = parse("{\"keys\":[" + String.join(",", oct, p384, x25519, rsa1024, offCurve, shortX, badEd, noKty,
        badBase64, notObject, RSA.jwkJson().toString()) + "]}");

    assertThat(keys).extracting(JsonWebKey::kid).containsExactly("rsa");
  }

  @Test
  void keepsTheMembersThatRestrictAKeysUse() {
    String jwk = RSA.jwkJson().deepCopy().put("use", "sig").put("alg", "PS256").toString();
    JsonWebKey key = parse("{\"keys\":[" + jwk + "]}").get(0);

    assertThat(key.use()).isEqualTo("sig");
    assertThat(key.alg()).isEqualTo("PS256");
    assertThat(key.usableFor(JwsAlgorithm.PS256)).isTrue();
    assertThat(key.usableFor(JwsAlgorithm.RS256)).isFalse();
    assertThat(key.usableFor(JwsAlgorithm.ES256)).isFalse();
  }

  @Test
  void refusesADocumentThatIsNotAJwks() {
    for (String doc : List.of("", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[]} x", "nope")) {
      assertThatThrownBy(() -> parse(doc)).as(doc).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(parse("{\"keys\":[]}")).isEmpty();
  }

  private static List<JsonWebKey> parse(String json) {
    return JwkSetParser.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
