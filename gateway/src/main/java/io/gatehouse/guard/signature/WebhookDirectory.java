package io.gatehouse.guard.signature;

import io.gatehouse.config.WebhookConfig;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the {@code webhooks:} entry for a request, with the case and slash rules n8n itself uses to find the
 * webhook, so that a signature entry covers exactly the deliveries n8n would run for that webhook.
 *
 * <p>n8n (n8n-io/n8n, packages/cli/src/webhooks/; live-webhooks.ts read at 0060704d, webhook.service.ts at
 * 0013714d, webhook-request-handler.ts at 072f856b): Express routes {@code /webhook/*path}
 * (abstract-server.ts) case-insensitively, as Express does by default, and hands over the rest of the path
 * percent-decoded (path-to-regexp's decodeURIComponent per segment, re-joined with '/' in
 * webhook-request-handler.ts {@code createWebhookHandlerFor}). {@code LiveWebhooks.findWebhook} (live-webhooks.ts)
 * then drops one trailing slash ("Remove trailing slash") and {@code WebhookService.findStaticWebhook}
 * (webhook.service.ts) looks the remainder up exactly: {@code findOneBy({ webhookPath: path, method })}, a
 * case-sensitive string comparison, also for the cache key {@code webhook:METHOD-path}. Stored paths have one
 * leading and one trailing slash removed ({@code getNodeWebhooks}).
 *
 * <p>So the key is: the gateway's normalized path (dot segments, duplicate slashes and unreserved escapes already
 * resolved), one trailing slash dropped, the first segment (the endpoint, {@code webhook} or {@code form}) in ASCII
 * lower case because Express matched it that way, and the rest percent-decoded and compared exactly. A delivery
 * signed for {@code /webhook/gh} does not open {@code /webhook/GH}, a different n8n webhook; {@code /WEBHOOK/gh/}
 * is the same one. The query never takes part. Route matching, unlike this, stays case-insensitive throughout.
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
    if (canonical.length() > 1 && canonical.endsWith("/")) canonical = canonical.substring(0, canonical.length() - 1);
    int endpointEnd = canonical.indexOf('/', 1);
    if (endpointEnd < 0) return asciiLowerCase(canonical);
    return asciiLowerCase(canonical.substring(0, endpointEnd)) + percentDecoded(canonical.substring(endpointEnd));
  }

  /** Only A-Z: Express's case-insensitive match of the endpoint is about ASCII route text. */
  private static String asciiLowerCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return b.toString();
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8, as n8n sees the path; other characters stand for themselves (a configured
   * path may be written with a raw space or non-ASCII letters).
   */
  private static String percentDecoded(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = c == '%' && i + 2 < s.length() ? hexValue(s.charAt(i + 1)) : -1;
      int lo = hi < 0 ? -1 : hexValue(s.charAt(i + 2));
      if (lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        int codePoint = s.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hexValue(char c) {
    return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
  }
}
