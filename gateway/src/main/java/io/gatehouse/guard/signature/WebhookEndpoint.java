package io.gatehouse.guard.signature;

import io.gatehouse.config.WebhookConfig;

/** One configured webhook path with its scheme implementation and prepared keys, built once per config load. */
public record WebhookEndpoint(WebhookConfig config, SignatureScheme scheme, HmacKeys keys) {
  public WebhookEndpoint(WebhookConfig config, SignatureScheme scheme) {
    this(config, scheme, scheme.keys(config.secrets()));
  }

  /** The path as configured: the metrics label and part of the replay key. */
  public String path() {
    return config.path();
  }
}
