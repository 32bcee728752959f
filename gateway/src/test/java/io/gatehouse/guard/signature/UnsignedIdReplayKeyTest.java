package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GitHub and Shopify do not sign their delivery ids, so the replay key must not be the id: a captured delivery
 * resent under a fresh id must still look like the same delivery.
 */
class UnsignedIdReplayKeyTest {
  private static final Secret SECRET = new Secret("replay-key-test-secret-0123456789", true);
  private static final byte[] BODY = "{\"event\":\"push\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Test void githubReplayKeyIgnoresTheUnsignedDeliveryId() {
    assertSameKeyUnderAnotherId(new GitHubSignatureScheme(), GitHubSignatureScheme.DELIVERY);
  }

  @Test void shopifyReplayKeyIgnoresTheUnsignedWebhookId() {
    assertSameKeyUnderAnotherId(new ShopifySignatureScheme(), ShopifySignatureScheme.WEBHOOK_ID);
  }

  private static void assertSameKeyUnderAnotherId(SignatureScheme scheme, String idHeader) {
    Map<String, String> signed = scheme.sign(BODY, SECRET, "delivery-original", NOW);
    MultiMap original = MultiMap.caseInsensitiveMultiMap().addAll(signed);
    MultiMap resent = MultiMap.caseInsensitiveMultiMap().addAll(signed).set(idHeader, "delivery-forged-fresh-id");

    assertThat(replayKey(scheme, resent)).isEqualTo(replayKey(scheme, original));
  }

  private static String replayKey(SignatureScheme scheme, MultiMap headers) {
    SignatureScheme.Start start = scheme.begin(headers, List.of(SECRET), NOW, Duration.ofMinutes(5));
    assertThat(start).isInstanceOf(SignatureScheme.Start.Started.class);
    SignatureScheme.Verification verification = ((SignatureScheme.Start.Started) start).verification();
    verification.update(Buffer.buffer(BODY));
    assertThat(verification.verify()).isTrue();
    return verification.replayKey();
  }
}
