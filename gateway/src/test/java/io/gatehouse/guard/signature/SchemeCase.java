package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.core.Reason;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One scheme as the shared tests drive it: two secrets of the right shape, which header carries the signature, and
 * whether a timestamp is signed. Helpers build headers with the scheme's own {@code sign} and run a verification.
 */
record SchemeCase(String name, SignatureScheme scheme, Secret current, Secret previous, String signatureHeader,
    boolean timestamped) {
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  static final Instant NOW = Instant.ofEpochSecond(1_760_000_000L);
  static final String ID = "delivery-3f1c2a9e";
  static final byte[] BODY = "{\"event\":\"claim.created\",\"claim_id\":\"c-1042\"}".getBytes(StandardCharsets.UTF_8);

  @Override public String toString() {
    return name;
  }

  static Stream<SchemeCase> all() {
    return Stream.of(
        new SchemeCase("github", new GitHubSignatureScheme(), secret("github-current-secret-0123"),
            secret("github-previous-secret-4567"), "X-Hub-Signature-256", false),
        new SchemeCase("stripe", new StripeSignatureScheme(), secret("whsec_stripe_current_0123456789"),
            secret("whsec_stripe_previous_0123456789"), "Stripe-Signature", true),
        new SchemeCase("slack", new SlackSignatureScheme(), secret("slack-current-signing-secret-01"),
            secret("slack-previous-signing-secret-02"), "X-Slack-Signature", true),
        new SchemeCase("shopify", new ShopifySignatureScheme(), secret("shpss_current_0123456789abcdef"),
            secret("shpss_previous_0123456789abcdef"), "X-Shopify-Hmac-Sha256", false),
        new SchemeCase("standard", new StandardWebhooksSignatureScheme(),
            secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), secret("whsec_c2VjcmV0LW9mLWEtcm9sbGVkLWVuZHBvaW50"),
            "webhook-signature", true),
        new SchemeCase("hmac-sha256 body hex", new GenericHmacSignatureScheme(new GenericHmac("X-Signature",
            Encoding.HEX, "sha256=", Signed.BODY, Optional.empty(), Optional.of("X-Delivery-Id"))),
            secret("generic-current-secret-0123"), secret("generic-previous-secret-4567"), "X-Signature", false),
        new SchemeCase("hmac-sha256 timestamp.body base64", new GenericHmacSignatureScheme(new GenericHmac(
            "X-Forms-Signature", Encoding.BASE64, "", Signed.TIMESTAMP_BODY, Optional.of("X-Forms-Timestamp"),
            Optional.empty())),
            secret("generic-current-secret-0123"), secret("generic-previous-secret-4567"), "X-Forms-Signature", true));
  }

  static Secret secret(String value) {
    return new Secret(value, true);
  }

  /** The headers the sender adds when signing {@code body} with {@code secret} at {@code at}. */
  MultiMap signed(byte[] body, Secret secret, Instant at) {
    return headers(scheme.sign(body, secret, ID, at));
  }

  MultiMap signed() {
    return signed(BODY, current, NOW);
  }

  static MultiMap headers(Map<String, String> values) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    values.forEach(headers::add);
    return headers;
  }

  Start begin(MultiMap headers, List<Secret> secrets, Instant now) {
    return scheme.begin(headers, secrets, now, TOLERANCE);
  }

  /** Starts, feeds the body in one chunk and verifies; a refusal at start counts as false. */
  boolean verifies(MultiMap headers, byte[] body, List<Secret> secrets, Instant now) {
    Start start = begin(headers, secrets, now);
    if (!(start instanceof Start.Started started)) return false;
    started.verification().update(Buffer.buffer(body));
    return started.verification().verify();
  }

  boolean verifies(MultiMap headers) {
    return verifies(headers, BODY, List.of(current), NOW);
  }

  /** Asserts a refusal at start with {@code reason}, and that its detail shows neither secret. */
  Start.Refused refused(MultiMap headers, Reason reason) {
    return refused(headers, reason, NOW);
  }

  Start.Refused refused(MultiMap headers, Reason reason, Instant now) {
    Start start = begin(headers, List.of(current, previous), now);
    assertThat(start).as("%s start", name).isInstanceOf(Start.Refused.class);
    Start.Refused refused = (Start.Refused) start;
    assertThat(refused.reason()).as("%s: %s", name, refused.detail()).isEqualTo(reason);
    assertThat(refused.detail()).isNotBlank().doesNotContain(current.value(), previous.value());
    return refused;
  }
}
