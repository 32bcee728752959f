package io.gatehouse.guard.signature;

import io.gatehouse.config.WebhookConfig;
import java.util.List;

/** The scheme behind a {@code webhooks[].scheme} name. Schemes are immutable: one instance serves every delivery. */
public final class SignatureSchemes {
  /** Every scheme name, as written in the config. */
  public static final List<String> NAMES = List.of("github", "stripe", "slack", "shopify", "standard", "hmac-sha256");

  private SignatureSchemes() {}

  /**
   * A named scheme that needs no settings: every one but {@code hmac-sha256}.
   *
   * @throws IllegalArgumentException for an unknown name, or for {@code hmac-sha256} (use {@link #forConfig})
   */
  public static SignatureScheme forName(String name) {
    return switch (name) {
      case "github" -> new GitHubSignatureScheme();
      case "stripe" -> new StripeSignatureScheme();
      case "slack" -> new SlackSignatureScheme();
      case "shopify" -> new ShopifySignatureScheme();
      case "standard" -> new StandardWebhooksSignatureScheme();
      case "hmac-sha256" -> throw new IllegalArgumentException("scheme hmac-sha256 needs its settings (header, …)");
      default -> throw new IllegalArgumentException("unknown signature scheme \"" + name + "\" (expected one of: "
          + String.join(", ", NAMES) + ")");
    };
  }

  /** The scheme of a validated webhook entry, with its generic settings where it has them. */
  public static SignatureScheme forConfig(WebhookConfig config) {
    if (config.scheme().equals("hmac-sha256")) {
      return new GenericHmacSignatureScheme(config.generic().orElseThrow(
          () -> new IllegalArgumentException("webhook " + config.path() + ": hmac-sha256 without its settings")));
    }
    return forName(config.scheme());
  }
}
