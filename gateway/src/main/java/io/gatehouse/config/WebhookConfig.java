package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * Signature verification for one webhook path.
 *
 * @param scheme github | stripe | slack | shopify | standard | hmac-sha256
 * @param secrets any one may match, so a secret can be rolled
 * @param tolerance how far a signed timestamp may be from now, either way
 */
public record WebhookConfig(String path, String scheme, List<Secret> secrets, Duration tolerance) {
  public WebhookConfig {
    secrets = List.copyOf(secrets);
  }
}
