package io.gatehouse.guard.signature;

import static io.gatehouse.guard.signature.SchemeCase.BODY;
import static io.gatehouse.guard.signature.SchemeCase.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.gatehouse.guard.signature.SignatureScheme.Verification;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stripe and Standard Webhooks put several signatures in one header while the sender rolls its secret. Any one may
 * match any configured secret, and the replay key must not depend on how the list is written, or a resend with the
 * entries reordered or padded would count as a new delivery.
 */
class MultipleSignaturesTest {
  private static final String OTHER_HEX = "0".repeat(64);
  private static final String OTHER_B64 = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";

  private final SchemeCase stripe = byName("stripe");
  private final SchemeCase standard = byName("standard");

  @Test
  void stripeAcceptsWhenTheSecondV1Matches() {
    String v1 = v1(stripe.signed().get("Stripe-Signature"));
    MultiMap headers = stripeHeader("t=" + NOW.getEpochSecond() + ",v1=" + OTHER_HEX + ",v1=" + v1);

    assertThat(stripe.verifies(headers)).isTrue();
  }

  @Test
  void stripeAcceptsOldAndNewSecretsSignedSideBySideWhicheverIsConfigured() {
    String current = v1(stripe.signed(BODY, stripe.current(), NOW).get("Stripe-Signature"));
    String previous = v1(stripe.signed(BODY, stripe.previous(), NOW).get("Stripe-Signature"));
    MultiMap headers = stripeHeader("t=" + NOW.getEpochSecond() + ",v1=" + previous + ",v1=" + current);

    assertThat(stripe.verifies(headers, BODY, List.of(stripe.current()), NOW)).isTrue();
    assertThat(stripe.verifies(headers, BODY, List.of(stripe.previous()), NOW)).isTrue();
  }

  @Test
  void stripeRejectsWhenNoV1Matches() {
    MultiMap headers = stripeHeader("t=" + NOW.getEpochSecond() + ",v1=" + OTHER_HEX + ",v1=" + "1".repeat(64));

    assertThat(stripe.verifies(headers)).isFalse();
  }

  @Test
  void stripeIgnoresAV0ThatWouldMatch() {
    String v1 = v1(stripe.signed().get("Stripe-Signature"));
    MultiMap headers = stripeHeader("t=" + NOW.getEpochSecond() + ",v0=" + v1 + ",v1=" + OTHER_HEX);

    assertThat(stripe.verifies(headers)).isFalse();
  }

  @Test
  void stripeReplayKeyIgnoresPaddingAndOrderOfSignatures() {
    String t = "t=" + NOW.getEpochSecond();
    String current = v1(stripe.signed(BODY, stripe.current(), NOW).get("Stripe-Signature"));
    String previous = v1(stripe.signed(BODY, stripe.previous(), NOW).get("Stripe-Signature"));

    String a = replayKey(stripe, stripeHeader(t + ",v1=" + current));
    String b = replayKey(stripe, stripeHeader(t + ",v1=" + OTHER_HEX + ",v1=" + current + ",v0=" + OTHER_HEX));
    String c = replayKey(stripe, stripeHeader("v1=" + previous + "," + t + ",v1=" + current));
    String d = replayKey(stripe, stripeHeader(t + ",v1=" + current + ",v1=" + previous));

    assertThat(List.of(b, c, d)).containsOnly(a);
    assertThat(a).isEqualTo(t + ",v1=" + current);
  }

  @Test
  void standardAcceptsWhenTheSecondV1MatchesAndSkipsOtherVersions() {
    String valid = standard.signed().get("webhook-signature");
    MultiMap headers = standard.signed();
    headers.set("webhook-signature", "v1a," + OTHER_B64 + "  v1," + OTHER_B64 + " " + valid);

    assertThat(standard.verifies(headers)).isTrue();
  }

  @Test
  void standardAcceptsOldAndNewSecretsSignedSideBySide() {
    String current = standard.signed(BODY, standard.current(), NOW).get("webhook-signature");
    String previous = standard.signed(BODY, standard.previous(), NOW).get("webhook-signature");
    MultiMap headers = standard.signed();
    headers.set("webhook-signature", previous + " " + current);

    assertThat(standard.verifies(headers, BODY, List.of(standard.previous()), NOW)).isTrue();
    assertThat(standard.verifies(headers, BODY, List.of(standard.current()), NOW)).isTrue();
    assertThat(replayKey(standard, headers)).isEqualTo(SchemeCase.ID);
  }

  @Test
  void standardReadsSvixHeadersOnlyWhenNoWebhookHeaderIsThere() {
    MultiMap signed = standard.signed();
    MultiMap svix = MultiMap.caseInsensitiveMultiMap();
    signed.forEach(e -> svix.add(e.getKey().replace("webhook-", "svix-"), e.getValue()));
    MultiMap mixed = MultiMap.caseInsensitiveMultiMap().addAll(svix).add("webhook-id", SchemeCase.ID);

    assertThat(standard.verifies(svix)).isTrue();
    // With any webhook-* header present the standard names are the ones read, and their signature is missing.
    standard.refused(mixed, io.gatehouse.core.Reason.SIGNATURE_MISSING);
  }

  @Test
  void shopifyDoesNotEnforceToleranceOnTriggeredAt() {
    SchemeCase shopify = byName("shopify");
    MultiMap headers = shopify.signed();
    headers.set("X-Shopify-Triggered-At", NOW.minus(Duration.ofHours(3)).toString());

    assertThat(shopify.verifies(headers)).isTrue();
  }

  private MultiMap stripeHeader(String value) {
    return MultiMap.caseInsensitiveMultiMap().add("Stripe-Signature", value);
  }

  private static String v1(String header) {
    return header.substring(header.indexOf("v1=") + 3);
  }

  private static String replayKey(SchemeCase c, MultiMap headers) {
    Start start = c.begin(headers, List.of(c.current(), c.previous()), NOW);
    assertThat(start).isInstanceOf(Start.Started.class);
    Verification v = ((Start.Started) start).verification();
    v.update(Buffer.buffer(BODY));
    assertThat(v.verify()).isTrue();
    return v.replayKey();
  }

  private static SchemeCase byName(String name) {
    return SchemeCase.all().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}
