package io.gatehouse.guard.signature;

import static io.gatehouse.guard.signature.SchemeCase.BODY;
import static io.gatehouse.guard.signature.SchemeCase.NOW;
import static io.gatehouse.guard.signature.SchemeCase.TOLERANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.Reason;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.gatehouse.guard.signature.SignatureScheme.Verification;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every scheme must do, whoever the sender: each test runs once per scheme (and generic variant). */
class SignatureSchemeContractTest {
  static List<SchemeCase> schemes() {
    return SchemeCase.all().toList();
  }

  static List<SchemeCase> timestamped() {
    return SchemeCase.all().filter(SchemeCase::timestamped).toList();
  }

  static List<SchemeCase> untimestamped() {
    return SchemeCase.all().filter(c -> !c.timestamped()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void verifiesWhatItSigned(SchemeCase c) {
    assertThat(c.verifies(c.signed())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void rejectsBodyWithOneByteChanged(SchemeCase c) {
    byte[] tampered = BODY.clone();
    tampered[tampered.length / 2] ^= 0x01;

    assertThat(c.verifies(c.signed(), tampered, List.of(c.current()), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void rejectsBodyWithOneByteAppended(SchemeCase c) {
    byte[] longer = Arrays.copyOf(BODY, BODY.length + 1);
    longer[BODY.length] = '\n';

    assertThat(c.verifies(c.signed(), longer, List.of(c.current()), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void rejectsSignatureMadeWithAnotherSecret(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.previous(), NOW);

    assertThat(c.verifies(headers, BODY, List.of(c.current()), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void acceptsSignatureMadeWithTheSecondConfiguredSecretDuringARoll(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.previous(), NOW);

    assertThat(c.verifies(headers, BODY, List.of(c.current(), c.previous()), NOW)).isTrue();
    assertThat(c.verifies(headers, BODY, List.of(c.previous(), c.current()), NOW)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesUnsignedDeliveryAsSignatureMissing(SchemeCase c) {
    MultiMap headers = c.signed();
    headers.remove(c.signatureHeader());

    c.refused(headers, Reason.SIGNATURE_MISSING);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesDeliveryWithoutAnyHeaderAsSignatureMissing(SchemeCase c) {
    c.refused(MultiMap.caseInsensitiveMultiMap(), Reason.SIGNATURE_MISSING);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesTwoCopiesOfTheSignatureHeaderEvenWhenBothAreValid(SchemeCase c) {
    MultiMap headers = c.signed();
    headers.add(c.signatureHeader(), headers.get(c.signatureHeader()));

    assertThat(c.refused(headers, Reason.SIGNATURE_INVALID).detail()).contains("duplicated");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesTwoCopiesOfAnyOtherHeaderItDependsOn(SchemeCase c) {
    Map<String, String> signed = c.scheme().sign(BODY, c.current(), SchemeCase.ID, NOW);
    for (String name : signed.keySet()) {
      if (name.equalsIgnoreCase(c.signatureHeader())) continue;
      MultiMap headers = SchemeCase.headers(signed);
      headers.add(name, signed.get(name));
      c.refused(headers, Reason.SIGNATURE_INVALID);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesSignedDeliveryMissingAnotherHeaderAsInvalidNotMissing(SchemeCase c) {
    // A delivery that carries a signature but lost its timestamp or id is malformed, not unsigned: an optional
    // route must not wave it through.
    Map<String, String> signed = c.scheme().sign(BODY, c.current(), SchemeCase.ID, NOW);
    for (String name : signed.keySet()) {
      if (name.equalsIgnoreCase(c.signatureHeader())) continue;
      MultiMap headers = SchemeCase.headers(signed);
      headers.remove(name);
      c.refused(headers, Reason.SIGNATURE_INVALID);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void readsHeaderNamesInAnyCase(SchemeCase c) {
    MultiMap lower = MultiMap.caseInsensitiveMultiMap();
    c.signed().forEach(e -> lower.add(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));

    assertThat(c.verifies(lower)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void chunkedBodyGivesTheSameAnswerAsOneChunk(SchemeCase c) {
    byte[] large = new byte[256 * 1024 + 17];
    for (int i = 0; i < large.length; i++) large[i] = (byte) (i * 31 + 7);
    MultiMap headers = c.signed(large, c.current(), NOW);

    Verification chunked = started(c, headers);
    for (int offset = 0; offset < large.length; offset += 8191) {
      chunked.update(Buffer.buffer(Arrays.copyOfRange(large, offset, Math.min(large.length, offset + 8191))));
    }
    chunked.update(Buffer.buffer());
    Verification whole = started(c, headers);
    whole.update(Buffer.buffer(large));

    assertThat(chunked.verify()).isTrue();
    assertThat(whole.verify()).isTrue();
    assertThat(chunked.replayKey()).isEqualTo(whole.replayKey());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void verifiesAnEmptyBody(SchemeCase c) {
    MultiMap headers = c.signed(new byte[0], c.current(), NOW);

    assertThat(c.verifies(headers, new byte[0], List.of(c.current()), NOW)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void replayKeyIsTheSameForTheSameDeliveryWhicheverSecretSigned(SchemeCase c) {
    Verification first = started(c, c.signed());
    first.update(Buffer.buffer(BODY));
    Verification again = started(c, c.signed());
    again.update(Buffer.buffer(BODY));

    assertThat(first.verify()).isTrue();
    assertThat(again.verify()).isTrue();
    assertThat(first.replayKey()).isNotBlank().isEqualTo(again.replayKey());
    assertThat(first.replayKey()).doesNotContain(c.current().value(), c.previous().value());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void replayKeyDiffersBetweenDeliveries(SchemeCase c) {
    byte[] other = "{\"event\":\"claim.created\",\"claim_id\":\"c-1043\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> second = c.scheme().sign(other, c.current(), "delivery-second", NOW.plusSeconds(1));
    Verification a = started(c, c.signed());
    a.update(Buffer.buffer(BODY));
    Verification b = started(c, SchemeCase.headers(second));
    b.update(Buffer.buffer(other));

    assertThat(a.verify()).isTrue();
    assertThat(b.verify()).isTrue();
    assertThat(a.replayKey()).isNotEqualTo(b.replayKey());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void verifyIsIdempotentAndReplayKeyNeedsASuccessfulVerify(SchemeCase c) {
    Verification good = started(c, c.signed());
    good.update(Buffer.buffer(BODY));
    assertThat(good.verify()).isTrue();
    assertThat(good.verify()).isTrue();

    Verification bad = started(c, c.signed());
    bad.update(Buffer.buffer("tampered"));
    assertThat(bad.verify()).isFalse();
    assertThat(bad.verify()).isFalse();
    assertThatThrownBy(bad::replayKey).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesWhenNoSecretIsConfigured(SchemeCase c) {
    Start start = c.scheme().begin(c.signed(), List.of(), NOW, TOLERANCE);

    assertThat(start).isInstanceOfSatisfying(Start.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesAnOverlongSignatureHeader(SchemeCase c) {
    MultiMap headers = c.signed();
    headers.set(c.signatureHeader(), headers.get(c.signatureHeader()) + "a".repeat(5000));

    c.refused(headers, Reason.SIGNATURE_INVALID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void refusesAnEmptySignatureHeader(SchemeCase c) {
    MultiMap headers = c.signed();
    headers.set(c.signatureHeader(), "  ");

    c.refused(headers, Reason.SIGNATURE_INVALID);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestamped")
  void acceptsTimestampExactlyAtTheToleranceEitherWay(SchemeCase c) {
    assertThat(c.verifies(c.signed(BODY, c.current(), NOW.minus(TOLERANCE)), BODY, List.of(c.current()), NOW))
        .isTrue();
    assertThat(c.verifies(c.signed(BODY, c.current(), NOW.plus(TOLERANCE)), BODY, List.of(c.current()), NOW))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestamped")
  void refusesStaleTimestampOneSecondPastTheTolerance(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.current(), NOW.minus(TOLERANCE).minusSeconds(1));

    c.refused(headers, Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestamped")
  void refusesFutureTimestampOneSecondPastTheTolerance(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.current(), NOW.plus(TOLERANCE).plusSeconds(1));

    c.refused(headers, Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("timestamped")
  void refusesAWeekOldDeliveryEvenWithAValidSignature(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.current(), NOW.minus(Duration.ofDays(7)));

    c.refused(headers, Reason.TIMESTAMP_OUT_OF_TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untimestamped")
  void untimestampedSchemesIgnoreTheClock(SchemeCase c) {
    MultiMap headers = c.signed(BODY, c.current(), NOW.minus(Duration.ofDays(30)));

    assertThat(c.verifies(headers)).isTrue();
  }

  private static Verification started(SchemeCase c, MultiMap headers) {
    Start start = c.begin(headers, List.of(c.current(), c.previous()), NOW);
    assertThat(start).as("%s start", c.name()).isInstanceOf(Start.Started.class);
    return ((Start.Started) start).verification();
  }
}
