package io.gatehouse.sso.jwt;

import static io.gatehouse.sso.jwt.TestTokens.ISSUER;
import static io.gatehouse.sso.jwt.TestTokens.b64;
import static io.gatehouse.sso.jwt.TestTokens.claims;
import static io.gatehouse.sso.jwt.TestTokens.header;
import static io.gatehouse.sso.jwt.TestTokens.jws;
import static io.gatehouse.sso.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sso.CanonicalBase64Url;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtVerifierTest {
  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
  private static final TestKey RSA = TestKey.rsa("rsa-1");
  private static final TestKey EC = TestKey.p256("ec-1");
  private static final TestKey ED = TestKey.ed25519("ed-1");
  private static final TestKey OTHER_RSA = TestKey.rsa("rsa-1");

  private final MutableClock clock = new MutableClock(NOW);
  private final CountingJwksSource source = new CountingJwksSource(List.of(RSA.jwk(), EC.jwk(), ED.jwk()));
  private final JwtVerifier verifier = new JwtVerifier(ISSUER, source, Duration.ofSeconds(30), clock);

  @BeforeEach
  void loadKeys() throws Exception {
    verifier.refresh().await(5, TimeUnit.SECONDS);
    assertThat(verifier.cachedKeyCount()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
  void acceptsAValidTokenOfEachAllowedAlgorithm(String alg) {
    TestKey key = switch (alg) {
      case "ES256" -> EC;
      case "EdDSA" -> ED;
      default -> RSA;
    };
    Future<JwtResult> result = verifier.verify(token(alg, key, claims(NOW)));

    assertThat(result.isComplete()).as("a cached key answers synchronously").isTrue();
    VerifiedJwt jwt = verified(result);
    assertThat(jwt.algorithm().jwaName()).isEqualTo(alg);
    assertThat(jwt.keyId()).isEqualTo(key.kid());
    assertThat(jwt.subject()).isEqualTo("user-1");
    assertThat(jwt.issuer()).isEqualTo(ISSUER);
    assertThat(jwt.audiences()).containsExactly("n8n-api");
    assertThat(jwt.scopes()).containsExactlyInAnyOrder("openid", "n8n:api");
    assertThat(jwt.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    assertThat(jwt.claim("iat").asLong()).isEqualTo(NOW.getEpochSecond());
    assertThat(source.fetches()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "None", "NONE", "HS256", "HS384", "HS512", "RS512", "ES384", "PS512", "Ed25519", ""})
  void refusesAlgorithmsOutsideTheAllowedFour(String alg) {
    String signed = jws(header(alg, RSA.kid()), claims(NOW), TestTokens.signer("RS256", RSA.pair().getPrivate()));

    assertThat(refusal(signed)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
  }

  @Test
  void refusesAlgNoneWithAndWithoutASignaturePart() {
    String unsigned = b64(header("none", RSA.kid())) + "." + b64(claims(NOW)) + ".";
    String withSignature = unsigned + CanonicalBase64Url.encode(new byte[] {1, 2, 3});
    String noKid = b64("{\"alg\":\"none\"}") + "." + b64(claims(NOW)) + ".";

    assertThat(refusal(unsigned)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(withSignature)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(noKid)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(b64("{}") + "." + b64(claims(NOW)) + ".")).as("no alg").isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
  }

  @Test
  void refusesHs256SignedWithTheRsaPublicKeyAsTheSecret() {
    byte[] der = RSA.pair().getPublic().getEncoded();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";

    for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII),
        RSA.jwkJson().toString().getBytes(StandardCharsets.UTF_8))) {
      String forged = jws(header("HS256", RSA.kid()), claims(NOW), TestTokens.hmacSha256(secret));
      assertThat(refusal(forged)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    }
    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void refusesAnHmacTokenEvenWhenTheJwksPublishesASymmetricKeyUnderItsKid() throws Exception {
    // A JWKS "oct" key is never parsed into a key, so HS256 would have nothing to be checked with anyway.
    List<JsonWebKey> published = JwkSetParser.parse(("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"oct-1\",\"k\":\""
        + CanonicalBase64Url.encode(new byte[32]) + "\"}," + RSA.jwkJson() + "]}").getBytes(StandardCharsets.UTF_8));
    assertThat(published).extracting(JsonWebKey::kid).containsExactly("rsa-1");
    source.publish(published);
    verifier.refresh().await(5, TimeUnit.SECONDS);
    String forged = jws(header("HS256", "oct-1"), claims(NOW), TestTokens.hmacSha256(new byte[32]));

    assertThat(refusal(forged)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(source.fetches()).isEqualTo(2);
  }

  @Test
  void refusesAnAlgorithmThatDoesNotFitTheKeyUnderItsKid() {
    String rs256OnEc = jws(header("RS256", EC.kid()), claims(NOW), TestTokens.signer("RS256", RSA.pair().getPrivate()));
    String es256OnRsa = jws(header("ES256", RSA.kid()), claims(NOW), TestTokens.signer("ES256", EC.pair().getPrivate()));
    String eddsaOnEc = jws(header("EdDSA", EC.kid()), claims(NOW), TestTokens.signer("EdDSA", ED.pair().getPrivate()));

    assertThat(refusal(rs256OnEc)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(es256OnRsa)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(eddsaOnEc)).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(source.fetches()).as("known kids: no fetch").isEqualTo(1);
  }

  @Test
  void doesNotUseAKeyWhoseUseOrAlgSaysOtherwise() throws Exception {
    TestKey encryption = TestKey.rsa("enc-1").with("use", "enc");
    TestKey ps256Only = TestKey.rsa("ps-1").with("alg", "PS256");
    TestKey verifyOps = TestKey.p256("ops-1");
    verifyOps.jwkJson().putArray("key_ops").add("encrypt");
    source.publish(List.of(encryption.jwk(), ps256Only.jwk(), verifyOps.jwk()));
    verifier.refresh().await(5, TimeUnit.SECONDS);

    assertThat(refusal(token("RS256", encryption, claims(NOW)))).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(refusal(token("RS256", ps256Only, claims(NOW)))).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
    assertThat(verified(verifier.verify(token("PS256", ps256Only, claims(NOW)))).subject()).isEqualTo("user-1");
    assertThat(refusal(token("ES256", verifyOps, claims(NOW)))).isEqualTo(JwtRefusal.ALG_NOT_ALLOWED);
  }

  @Test
  void refusesAnUnknownKid() {
    TestKey stranger = TestKey.rsa("someone-else");

    assertThat(refusal(token("RS256", stranger, claims(NOW)))).isEqualTo(JwtRefusal.UNKNOWN_KEY);
  }

  @Test
  void refusesATamperedPayload() {
    String valid = token("RS256", RSA, claims(NOW));
    String[] parts = valid.split("\\.");
    String elevated = claims(NOW).replace("\"sub\":\"user-1\"", "\"sub\":\"admin\"");

    assertThat(refusal(parts[0] + "." + b64(elevated) + "." + parts[2])).isEqualTo(JwtRefusal.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
  void refusesATamperedSignature(String alg) {
    TestKey key = alg.equals("ES256") ? EC : alg.equals("EdDSA") ? ED : RSA;
    String valid = token(alg, key, claims(NOW));
    int dot = valid.lastIndexOf('.');
    byte[] signature = CanonicalBase64Url.decode(valid.substring(dot + 1)).orElseThrow();
    for (int i : new int[] {0, signature.length / 2, signature.length - 1}) {
      byte[] tampered = signature.clone();
      tampered[i] ^= 0x40;
      String forged = valid.substring(0, dot + 1) + CanonicalBase64Url.encode(tampered);
      assertThat(refusal(forged)).as("byte %d", i).isEqualTo(JwtRefusal.BAD_SIGNATURE);
    }
    byte[] shorter = java.util.Arrays.copyOf(signature, signature.length - 1);
    assertThat(refusal(valid.substring(0, dot + 1) + CanonicalBase64Url.encode(shorter)))
        .isEqualTo(JwtRefusal.BAD_SIGNATURE);
    assertThat(source.fetches()).isEqualTo(1);
  }

  @Test
  void refusesAllZeroEcdsaAndEd25519Signatures() {
    for (TestKey key : List.of(EC, ED)) {
      String alg = key == EC ? "ES256" : "EdDSA";
      String zero = jws(header(alg, key.kid()), claims(NOW), input -> new byte[64]);
      assertThat(refusal(zero)).as(alg).isEqualTo(JwtRefusal.BAD_SIGNATURE);
    }
  }

  @Test
  void refusesATokenSignedByAnotherKeyUnderAKnownKidAndIgnoresAKeyEmbeddedInTheHeader() {
    String sameKid = token("RS256", OTHER_RSA, claims(NOW));
    String embedded = jws("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":" + OTHER_RSA.jwkJson() + ",\"jku\":"
        + "\"https://evil.example/jwks\"}", claims(NOW), TestTokens.signer("RS256", OTHER_RSA.pair().getPrivate()));

    assertThat(refusal(sameKid)).isEqualTo(JwtRefusal.BAD_SIGNATURE);
    assertThat(refusal(embedded)).isEqualTo(JwtRefusal.BAD_SIGNATURE);
    assertThat(source.fetches()).isEqualTo(1);
  }

  /** A verified token is remembered (its signature not checked again), but only while its key is published. */
  @Test
  void aRememberedTokenIsRefusedOnceTheIssuerStopsPublishingItsKey() throws Exception {
    String token = token("RS256", RSA, claims(NOW));
    assertThat(verifier.verify(token).result()).isInstanceOf(JwtResult.Verified.class);
    assertThat(verifier.verify(token).result()).as("again, from memory").isInstanceOf(JwtResult.Verified.class);

    source.publish(List.of(EC.jwk(), ED.jwk()));
    verifier.refresh().await(5, TimeUnit.SECONDS);

    assertThat(refusal(token)).isEqualTo(JwtRefusal.UNKNOWN_KEY);
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThat(refusal(tampered)).as("a different token is never taken for a remembered one")
        .isIn(JwtRefusal.UNKNOWN_KEY, JwtRefusal.BAD_SIGNATURE, JwtRefusal.MALFORMED);
  }

  @Test
  void refusesATokenExpiredBeyondTheSkewAndAcceptsOneWithinIt() {
    String claims = claims(NOW).replace("\"exp\":" + (NOW.getEpochSecond() + 300), "\"exp\":" + NOW.getEpochSecond());
    String token = token("ES256", EC, claims);

    clock.advance(Duration.ofSeconds(30));
    assertThat(verifier.verify(token).result()).isInstanceOf(JwtResult.Verified.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(refusal(token)).isEqualTo(JwtRefusal.EXPIRED);
  }

  @Test
  void capsTheSkewAt60Seconds() {
    JwtVerifier lenient = new JwtVerifier(ISSUER, source, Duration.ofMinutes(10), clock);
    lenient.refresh().result();
    String claims = claims(NOW).replace("\"exp\":" + (NOW.getEpochSecond() + 300), "\"exp\":" + NOW.getEpochSecond());
    String token = token("RS256", RSA, claims);

    clock.advance(Duration.ofSeconds(60));
    assertThat(lenient.verify(token).result()).isInstanceOf(JwtResult.Verified.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(((JwtResult.Refused) lenient.verify(token).result()).reason()).isEqualTo(JwtRefusal.EXPIRED);
  }

  @Test
  void refusesATokenNotYetValid() {
    long t = NOW.getEpochSecond();
    String nbfAhead = claims(NOW).replace("\"nbf\":" + t, "\"nbf\":" + (t + 31));
    String nbfWithinSkew = claims(NOW).replace("\"nbf\":" + t, "\"nbf\":" + (t + 30));
    String iatAhead = claims(NOW).replace("\"iat\":" + t, "\"iat\":" + (t + 120));

    assertThat(refusal(token("RS256", RSA, nbfAhead))).isEqualTo(JwtRefusal.NOT_YET_VALID);
    assertThat(verifier.verify(token("RS256", RSA, nbfWithinSkew)).result()).isInstanceOf(JwtResult.Verified.class);
    assertThat(refusal(token("RS256", RSA, iatAhead))).isEqualTo(JwtRefusal.NOT_YET_VALID);
  }

  @Test
  void refusesAnotherIssuer() {
    for (String iss : List.of("https://evil.example/realms/corp", ISSUER + "/", ISSUER.toUpperCase())) {
      String claims = claims(NOW).replace(ISSUER, iss);
      assertThat(refusal(token("RS256", RSA, claims))).as(iss).isEqualTo(JwtRefusal.WRONG_ISSUER);
    }
    String noIss = claims(NOW).replace("\"iss\":\"" + ISSUER + "\",", "");
    assertThat(refusal(token("RS256", RSA, noIss))).isEqualTo(JwtRefusal.WRONG_ISSUER);
  }

  @Test
  void refusesATokenWithoutExpOrWithClaimsOfTheWrongType() {
    long t = NOW.getEpochSecond();
    String noExp = claims(NOW).replace("\"exp\":" + (t + 300) + ",", "");
    String textExp = claims(NOW).replace("\"exp\":" + (t + 300), "\"exp\":\"" + (t + 300) + "\"");
    String numberAud = claims(NOW).replace("\"aud\":\"n8n-api\"", "\"aud\":7");
    String objectSub = claims(NOW).replace("\"sub\":\"user-1\"", "\"sub\":{}");

    for (String claims : List.of(noExp, textExp, numberAud, objectSub)) {
      assertThat(refusal(token("RS256", RSA, claims))).as(claims).isEqualTo(JwtRefusal.MALFORMED);
    }
  }

  @Test
  void acceptsFractionalTimes() {
    long t = NOW.getEpochSecond();
    String claims = claims(NOW).replace("\"exp\":" + (t + 300), "\"exp\":" + (t + 300) + ".5");

    assertThat(verified(verifier.verify(token("RS256", RSA, claims))).expiresAt()).isEqualTo(NOW.plusSeconds(300));
  }

  @Test
  void refusesACritHeader() {
    String crit = jws("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", claims(NOW),
        TestTokens.signer("RS256", RSA.pair().getPrivate()));
    String b64False = jws("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"b64\":false,\"crit\":[\"b64\"]}", claims(NOW),
        TestTokens.signer("RS256", RSA.pair().getPrivate()));

    assertThat(refusal(crit)).isEqualTo(JwtRefusal.MALFORMED);
    assertThat(refusal(b64False)).isEqualTo(JwtRefusal.MALFORMED);
  }

  @Test
  void refusesAnOversizedTokenEvenWhenValidlySigned() {
    String big = claims(NOW).replace("\"sub\":\"user-1\"", "\"sub\":\"user-1\",\"pad\":\"" + "x".repeat(6200) + "\"");
    String token = token("RS256", RSA, big);
    assertThat(token.length()).isGreaterThan(8 * 1024);

    assertThat(refusal(token)).isEqualTo(JwtRefusal.MALFORMED);
    assertThat(refusal("a".repeat(1_000_000))).isEqualTo(JwtRefusal.MALFORMED);
  }

  @Test
  void refusesTwoOrFourPartsAndEmptyInput() {
    String valid = token("RS256", RSA, claims(NOW));
    String[] parts = valid.split("\\.");

    for (String bad : List.of(parts[0] + "." + parts[1], valid + "." + parts[2], valid + ".", "." + parts[1] + "."
        + parts[2], "", "...", "a.b", parts[0] + ".." + parts[2])) {
      assertThat(refusal(bad)).as(bad.length() > 40 ? bad.substring(0, 40) : bad).isEqualTo(JwtRefusal.MALFORMED);
    }
    assertThat(refusal(null)).isEqualTo(JwtRefusal.MALFORMED);
  }

  @Test
  void refusesPartsThatAreNotJsonObjects() {
    var sign = TestTokens.signer("RS256", RSA.pair().getPrivate());
    List<String> bad = List.of(
        jws("not json", claims(NOW), sign),
        jws("[\"RS256\"]", claims(NOW), sign),
        jws(header("RS256", "rsa-1") + "{}", claims(NOW), sign),
        jws(header("RS256", "rsa-1"), "not json", sign),
        jws(header("RS256", "rsa-1"), "[1,2]", sign),
        jws(header("RS256", "rsa-1"), "\"text\"", sign),
        jws(header("RS256", "rsa-1"), claims(NOW) + " trailing", sign),
        jws("{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", claims(NOW), sign),
        jws(header("RS256", "rsa-1"), claims(NOW).replace("{", "{\"iss\":\"" + ISSUER + "x\","), sign),
        jws("{\"alg\":\"RS256\",\"kid\":7}", claims(NOW), sign));

    for (String token : bad) {
      assertThat(refusal(token)).isEqualTo(JwtRefusal.MALFORMED);
    }
  }

  @Test
  void refusesPaddedOrNonCanonicalBase64() {
    String valid = token("RS256", RSA, claims(NOW));
    String padded = valid + "==";
    String stdAlphabet = valid.replace('-', '+').replace('_', '/');

    assertThat(refusal(padded)).isEqualTo(JwtRefusal.MALFORMED);
    if (!stdAlphabet.equals(valid)) assertThat(refusal(stdAlphabet)).isEqualTo(JwtRefusal.MALFORMED);
    assertThat(refusal(valid.replaceFirst("\\.", ".\u00e9"))).isEqualTo(JwtRefusal.MALFORMED);
  }

  @Test
  void aTokenWithoutKidIsCheckedAgainstTheKeysThatFitItsAlgAndNeverFetches() {
    String noKid = jws(header("ES256", null), claims(NOW), TestTokens.signer("ES256", EC.pair().getPrivate()));
    String noKidForged = jws(header("ES256", null), claims(NOW),
        TestTokens.signer("ES256", TestKey.p256("x").pair().getPrivate()));

    assertThat(verified(verifier.verify(noKid)).keyId()).isNull();
    assertThat(refusal(noKidForged)).isEqualTo(JwtRefusal.BAD_SIGNATURE);
    assertThat(source.fetches()).isEqualTo(1);
  }

  private JwtRefusal refusal(String token) {
    Future<JwtResult> result = verifier.verify(token);
    assertThat(result.isComplete()).isTrue();
    assertThat(result.result()).isInstanceOf(JwtResult.Refused.class);
    return ((JwtResult.Refused) result.result()).reason();
  }

  private static VerifiedJwt verified(Future<JwtResult> result) {
    assertThat(result.isComplete()).isTrue();
    assertThat(result.result()).isInstanceOf(JwtResult.Verified.class);
    return ((JwtResult.Verified) result.result()).jwt();
  }
}
