package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import io.gatehouse.guard.signature.SignatureScheme.Start;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each scheme against the example its sender publishes, both ways: the published headers verify, and signing the
 * published body reproduces the published signature byte for byte. Where a sender publishes no complete example
 * (secret, body and signature together), the vector was computed with two independent implementations and the
 * comment says so.
 */
class PublishedVectorsTest {
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  // GitHub, "Validating webhook deliveries", section "Testing the webhook payload validation":
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  private static final Secret GITHUB_SECRET = secret("It's a Secret to Everybody");
  private static final String GITHUB_BODY = "Hello, World!";
  private static final String GITHUB_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  // Slack, "Verifying requests from Slack", the worked example (a slash command's form-encoded body):
  // https://api.slack.com/authentication/verifying-requests-from-slack
  private static final Secret SLACK_SECRET = secret("8f742231b10e8888abcd99yyyzzz85a5");
  private static final long SLACK_TIMESTAMP = 1531420618L;
  private static final String SLACK_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
      + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
      + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  private static final String SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

  // Stripe documents the scheme (https://docs.stripe.com/webhooks#verify-manually) but no complete example. This is
  // the fixture of Stripe's own .NET library: src/StripeTests/Services/Events/EventUtilityTest.cs with the body
  // src/StripeTests/Resources/event_test_signature.json (trailing newline included) in stripe/stripe-dotnet. Its
  // v1 was also recomputed here with `openssl dgst -sha256 -hmac webhook_secret` over "1533204620." + that file.
  // The v0 in the same header is Stripe's test-mode scheme and must be ignored.
  private static final Secret STRIPE_SECRET = secret("webhook_secret");
  private static final long STRIPE_TIMESTAMP = 1533204620L;
  private static final String STRIPE_BODY = """
      {
        "id": "evt_123",
        "object": "event",
        "account": "acct_123",
        "api_version": "2017-05-25",
        "created": 1533204620,
        "data": {
          "object": {
            "id": "cus_123",
            "object": "customer",
            "created": 123456789,
            "email": "test@stripe.com",
            "livemode": false,
            "metadata": {}
          }
        },
        "livemode": false,
        "pending_webhooks": 1,
        "request": {
          "id": "req_123",
          "idempotency_key": "idempotency-key-123"
        },
        "type": "customer.created"
      }
      """;
  private static final String STRIPE_V1 = "2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7";
  private static final String STRIPE_HEADER = "t=1533204620,v1=" + STRIPE_V1
      + ",v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";

  // The Standard Webhooks reference libraries' signing vector (libraries/go/webhook_test.go TestWebhookSign and
  // libraries/python/tests/test_webhooks.py test_sign_function in standard-webhooks/standard-webhooks); Svix's
  // libraries (svix/svix-webhooks) test the same vector, which the specification inherited from them.
  private static final Secret STANDARD_SECRET = secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  private static final String STANDARD_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long STANDARD_TIMESTAMP = 1614265330L;
  private static final String STANDARD_BODY = "{\"test\": 2432232314}";
  private static final String STANDARD_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  // Shopify publishes no example with secret, body and HMAC together (https://shopify.dev/docs/apps/build/webhooks/
  // subscribe/https shows code only). Computed for this test and cross-checked with two independent
  // implementations: `openssl dgst -sha256 -hmac SECRET -binary | base64` and Python's hmac + base64 modules.
  private static final Secret SHOPIFY_SECRET = secret("shpss_gatehouse_example_secret");
  private static final String SHOPIFY_BODY =
      "{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"topic\":\"orders/create\"}";
  private static final String SHOPIFY_SIGNATURE = "po8TJ8NTHI1lMyQmX3t9YGDSvkJJWJTKontoskBYFg8=";

  // The generic scheme has no sender; computed for this test with `openssl dgst -sha256 -hmac SECRET` (hex) and
  // `... -binary | base64` over "1700000000." + body.
  private static final Secret GENERIC_SECRET = secret("generic-sender-secret-0123");
  private static final String GENERIC_BODY = "{\"form\":\"intake\"}";

  @Test
  void githubDocumentedExampleVerifiesAndSignsIdentically() {
    MultiMap headers = headers("X-Hub-Signature-256", GITHUB_SIGNATURE, "X-GitHub-Delivery",
        "72d3162e-cc78-11e3-81ab-4c9367dc0958");
    GitHubSignatureScheme scheme = new GitHubSignatureScheme();

    assertThat(verifies(scheme, headers, GITHUB_BODY, GITHUB_SECRET, Instant.now())).isTrue();
    assertThat(scheme.sign(bytes(GITHUB_BODY), GITHUB_SECRET, "72d3162e-cc78-11e3-81ab-4c9367dc0958", Instant.now()))
        .containsEntry("X-Hub-Signature-256", GITHUB_SIGNATURE);
  }

  @Test
  void slackDocumentedExampleVerifiesAndSignsIdentically() {
    MultiMap headers = headers("X-Slack-Signature", SLACK_SIGNATURE, "X-Slack-Request-Timestamp",
        Long.toString(SLACK_TIMESTAMP));
    SlackSignatureScheme scheme = new SlackSignatureScheme();
    Instant received = Instant.ofEpochSecond(SLACK_TIMESTAMP).plusSeconds(42);

    assertThat(verifies(scheme, headers, SLACK_BODY, SLACK_SECRET, received)).isTrue();
    assertThat(scheme.sign(bytes(SLACK_BODY), SLACK_SECRET, null, Instant.ofEpochSecond(SLACK_TIMESTAMP)))
        .containsExactly(Map.entry("X-Slack-Request-Timestamp", "1531420618"),
            Map.entry("X-Slack-Signature", SLACK_SIGNATURE));
  }

  @Test
  void stripeLibraryFixtureVerifiesIgnoringV0AndSignsIdentically() {
    MultiMap headers = headers("Stripe-Signature", STRIPE_HEADER);
    StripeSignatureScheme scheme = new StripeSignatureScheme();
    Instant received = Instant.ofEpochSecond(STRIPE_TIMESTAMP).plusSeconds(100);

    assertThat(STRIPE_BODY).hasSize(484).endsWith("}\n");
    assertThat(verifies(scheme, headers, STRIPE_BODY, STRIPE_SECRET, received)).isTrue();
    assertThat(scheme.sign(bytes(STRIPE_BODY), STRIPE_SECRET, null, Instant.ofEpochSecond(STRIPE_TIMESTAMP)))
        .containsExactly(Map.entry("Stripe-Signature", "t=1533204620,v1=" + STRIPE_V1));
  }

  @Test
  void standardWebhooksSpecificationVectorVerifiesAndSignsIdentically() {
    MultiMap headers = headers("webhook-id", STANDARD_ID, "webhook-timestamp", Long.toString(STANDARD_TIMESTAMP),
        "webhook-signature", STANDARD_SIGNATURE);
    StandardWebhooksSignatureScheme scheme = new StandardWebhooksSignatureScheme();
    Instant received = Instant.ofEpochSecond(STANDARD_TIMESTAMP);

    assertThat(verifies(scheme, headers, STANDARD_BODY, STANDARD_SECRET, received)).isTrue();
    assertThat(scheme.sign(bytes(STANDARD_BODY), STANDARD_SECRET, STANDARD_ID, received))
        .containsExactly(Map.entry("webhook-id", STANDARD_ID), Map.entry("webhook-timestamp", "1614265330"),
            Map.entry("webhook-signature", STANDARD_SIGNATURE));
  }

  @Test
  void standardWebhooksVectorVerifiesUnderSvixHeaderNamesAndWithoutTheWhsecPrefix() {
    MultiMap headers = headers("svix-id", STANDARD_ID, "svix-timestamp", Long.toString(STANDARD_TIMESTAMP),
        "svix-signature", STANDARD_SIGNATURE);
    Instant received = Instant.ofEpochSecond(STANDARD_TIMESTAMP);

    assertThat(verifies(new StandardWebhooksSignatureScheme(), headers, STANDARD_BODY, STANDARD_SECRET, received))
        .isTrue();
    assertThat(verifies(new StandardWebhooksSignatureScheme(), headers, STANDARD_BODY,
        secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), received)).isTrue();
  }

  @Test
  void standardWebhooksReferenceMultiSignatureHeaderVerifies() {
    // The reference libraries' "valid multi sig" case: a v1 that does not match, a v2 to be skipped, the valid
    // one, and another non-matching v1.
    String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
        + STANDARD_SIGNATURE + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    MultiMap headers = headers("webhook-id", STANDARD_ID, "webhook-timestamp", Long.toString(STANDARD_TIMESTAMP),
        "webhook-signature", header);

    assertThat(verifies(new StandardWebhooksSignatureScheme(), headers, STANDARD_BODY, STANDARD_SECRET,
        Instant.ofEpochSecond(STANDARD_TIMESTAMP))).isTrue();
  }

  @Test
  void shopifyCrossCheckedVectorVerifiesAndSignsIdentically() {
    MultiMap headers = headers("X-Shopify-Hmac-Sha256", SHOPIFY_SIGNATURE, "X-Shopify-Webhook-Id",
        "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043");
    ShopifySignatureScheme scheme = new ShopifySignatureScheme();

    assertThat(verifies(scheme, headers, SHOPIFY_BODY, SHOPIFY_SECRET, Instant.now())).isTrue();
    assertThat(scheme.sign(bytes(SHOPIFY_BODY), SHOPIFY_SECRET, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", Instant.now()))
        .containsEntry("X-Shopify-Hmac-Sha256", SHOPIFY_SIGNATURE);
  }

  @Test
  void genericSchemeMatchesOpensslForBothShapes() {
    GenericHmacSignatureScheme hexBody = new GenericHmacSignatureScheme(new GenericHmac("X-Signature", Encoding.HEX,
        "sha256=", Signed.BODY, Optional.empty(), Optional.empty()));
    GenericHmacSignatureScheme base64Timestamped = new GenericHmacSignatureScheme(new GenericHmac("X-Signature",
        Encoding.BASE64, "", Signed.TIMESTAMP_BODY, Optional.of("X-Timestamp"), Optional.empty()));
    Instant at = Instant.ofEpochSecond(1_700_000_000L);

    assertThat(verifies(hexBody, headers("X-Signature",
        "sha256=5b1dcab5709856f97f48ad3ec520b7bc27e5da023118e5fdb5641aa87fc33b67"), GENERIC_BODY, GENERIC_SECRET, at))
        .isTrue();
    assertThat(verifies(base64Timestamped, headers("X-Signature", "W9EJoUHEk/sL6UdJVgdUHJiC0EYFdoduzc9Tas07X1A=",
        "X-Timestamp", "1700000000"), GENERIC_BODY, GENERIC_SECRET, at)).isTrue();
    assertThat(base64Timestamped.sign(bytes(GENERIC_BODY), GENERIC_SECRET, null, at))
        .containsExactly(Map.entry("X-Timestamp", "1700000000"),
            Map.entry("X-Signature", "W9EJoUHEk/sL6UdJVgdUHJiC0EYFdoduzc9Tas07X1A="));
  }

  private static boolean verifies(SignatureScheme scheme, MultiMap headers, String body, Secret secret, Instant now) {
    Start start = scheme.begin(headers, List.of(secret), now, FIVE_MINUTES);
    assertThat(start).isInstanceOf(Start.Started.class);
    SignatureScheme.Verification verification = ((Start.Started) start).verification();
    verification.update(Buffer.buffer(bytes(body)));
    return verification.verify();
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) headers.add(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Secret secret(String value) {
    return new Secret(value, true);
  }
}
