package io.gatehouse.guard.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignatureSchemesTest {
  private static final List<Secret> SECRETS = List.of(new Secret("s".repeat(16), true));

  @Test
  void mapsEveryNamedSchemeToItsClass() {
    assertThat(SignatureSchemes.forName("github")).isInstanceOf(GitHubSignatureScheme.class);
    assertThat(SignatureSchemes.forName("stripe")).isInstanceOf(StripeSignatureScheme.class);
    assertThat(SignatureSchemes.forName("slack")).isInstanceOf(SlackSignatureScheme.class);
    assertThat(SignatureSchemes.forName("shopify")).isInstanceOf(ShopifySignatureScheme.class);
    assertThat(SignatureSchemes.forName("standard")).isInstanceOf(StandardWebhooksSignatureScheme.class);
  }

  @Test
  void refusesUnknownNamesAndTheGenericSchemeWithoutSettings() {
    assertThatThrownBy(() -> SignatureSchemes.forName("gitlab")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gitlab");
    assertThatThrownBy(() -> SignatureSchemes.forName("hmac-sha256")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildsTheGenericSchemeFromItsConfig() {
    GenericHmac settings = new GenericHmac("X-Signature", Encoding.HEX, "", Signed.BODY, Optional.empty(),
        Optional.empty());
    WebhookConfig generic = new WebhookConfig("/webhook/x", "hmac-sha256", SECRETS, Duration.ofMinutes(5),
        Optional.of(settings));
    WebhookConfig github = new WebhookConfig("/webhook/y", "github", SECRETS, Duration.ofMinutes(5));

    assertThat(SignatureSchemes.forConfig(generic)).isInstanceOf(GenericHmacSignatureScheme.class);
    assertThat(SignatureSchemes.forConfig(github)).isInstanceOf(GitHubSignatureScheme.class);
  }

  @Test
  void knowsTheSameNamesAsTheConfigReader() {
    assertThat(SignatureSchemes.NAMES).containsExactly("github", "stripe", "slack", "shopify", "standard",
        "hmac-sha256");
  }

  @Test
  void genericSettingsNeedATimestampHeaderExactlyWhenTheTimestampIsSigned() {
    assertThatThrownBy(() -> new GenericHmac("X-Signature", Encoding.HEX, "", Signed.TIMESTAMP_BODY,
        Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GenericHmac("X-Signature", Encoding.HEX, "", Signed.BODY,
        Optional.of("X-Timestamp"), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void standardSchemeRefusesToSignWithASecretThatIsNotBase64() {
    assertThatThrownBy(() -> new StandardWebhooksSignatureScheme().sign(new byte[0],
        new Secret("whsec_not*base64*at*all", true), "msg_1", java.time.Instant.now()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not*base64");
  }
}
