package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Entries are found with n8n's own rules (live-webhooks.ts, webhook.service.ts): the endpoint segment matched
 * case-insensitively like Express's route, the webhook path after it exactly, one trailing slash dropped.
 */
class WebhookDirectoryTest {
  private static final Secret SECRET = new Secret("claims-secret-0123456789abcdef", true);

  private final WebhookDirectory directory = WebhookDirectory.of(List.of(
      webhook("/webhook/gh"), webhook("/webhook/GitHub/"), webhook("/form/my%20form"), webhook("/webhook/café"),
      webhook("/webhook/a/b")), w -> new TestHmacScheme());

  @Test
  void findsTheEntryOnlyForThePathCaseN8nLooksUp() {
    assertThat(find("/webhook/gh")).contains("/webhook/gh");
    assertThat(find("/webhook/GH")).isEmpty();
    assertThat(find("/webhook/Gh")).isEmpty();
    assertThat(find("/webhook/github")).isEmpty();
    assertThat(find("/webhook/GitHub")).contains("/webhook/GitHub/");
  }

  @Test
  void matchesTheEndpointSegmentCaseInsensitivelyAsExpressRoutesIt() {
    assertThat(find("/WEBHOOK/gh")).contains("/webhook/gh");
    assertThat(find("/Webhook/GitHub")).contains("/webhook/GitHub/");
    assertThat(find("/WEBHOOK/GH")).isEmpty();
  }

  @Test
  void dropsOneTrailingSlashOnEitherSideAsN8nDoes() {
    assertThat(find("/webhook/gh/")).contains("/webhook/gh");
    assertThat(find("/webhook//gh//")).contains("/webhook/gh");
    assertThat(find("/webhook/GitHub/")).contains("/webhook/GitHub/");
    assertThat(find("/webhook/gh/x")).isEmpty();
    assertThat(find("/webhook/a/b")).contains("/webhook/a/b");
    assertThat(find("/webhook/a/B")).isEmpty();
  }

  @Test
  void comparesThePathPercentDecodedAsN8nReceivesIt() {
    assertThat(find("/webhook/%67h")).contains("/webhook/gh");
    assertThat(find("/form/my%20form")).contains("/form/my%20form");
    assertThat(find("/webhook/caf%C3%A9")).contains("/webhook/café");
    assertThat(find("/webhook/caf%c3%a9")).contains("/webhook/café");
    assertThat(find("/webhook/CAF%C3%A9")).isEmpty();
    assertThat(find("/webhook/caf%C3%89")).isEmpty(); // É, not é
  }

  @Test
  void neverTakesTheQueryIntoAccount() {
    assertThat(find("/webhook/gh?x=1")).contains("/webhook/gh");
  }

  private Optional<String> find(String target) {
    String path = ((Normalized.Ok) PathNormalizer.normalize(target)).path();
    return directory.find(path).map(WebhookEndpoint::path);
  }

  private static WebhookConfig webhook(String path) {
    return new WebhookConfig(path, "test", List.of(SECRET), Duration.ofMinutes(5));
  }
}
