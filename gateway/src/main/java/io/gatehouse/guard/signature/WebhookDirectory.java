package io.gatehouse.guard.signature;

import io.gatehouse.config.WebhookConfig;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the {@code webhooks:} entry for a request. Both sides are compared in one canonical spelling: the
 * gateway's normalized path (dot segments, duplicate slashes and percent-encoded unreserved characters already
 * resolved), ASCII lower case because n8n's router matches case-insensitively, one trailing slash dropped because
 * Express's non-strict routing treats {@code /x/} as {@code /x}. The query never takes part. So every spelling
 * n8n would route to the same webhook finds the same entry, and a scheme cannot be side-stepped by writing the
 * path differently.
 */
public final class WebhookDirectory {
  private final Map<String, WebhookEndpoint> byKey;

  private WebhookDirectory(Map<String, WebhookEndpoint> byKey) {
    this.byKey = Map.copyOf(byKey);
  }

  /** @param schemes the scheme implementation for each entry */
  public static WebhookDirectory of(List<WebhookConfig> webhooks, Function<WebhookConfig, SignatureScheme> schemes) {
    Map<String, WebhookEndpoint> byKey = new HashMap<>();
    for (WebhookConfig webhook : webhooks) {
      // First entry wins, as config validation already refuses two entries with one path.
      byKey.putIfAbsent(key(webhook.path()), new WebhookEndpoint(webhook, schemes.apply(webhook)));
    }
    return new WebhookDirectory(byKey);
  }

  /** @param normalizedPath the exchange's normalized path, without the query */
  public Optional<WebhookEndpoint> find(String normalizedPath) {
    return Optional.ofNullable(byKey.get(key(normalizedPath)));
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The canonical spelling of a path for lookups; a configured path is normalized as a request path would be. */
  static String key(String path) {
    String canonical = path;
    if (PathNormalizer.normalize(path) instanceof Normalized.Ok ok && ok.rawQuery() == null) canonical = ok.path();
    canonical = canonical.toLowerCase(Locale.ROOT);
    if (canonical.length() > 1 && canonical.endsWith("/")) canonical = canonical.substring(0, canonical.length() - 1);
    return canonical;
  }
}
