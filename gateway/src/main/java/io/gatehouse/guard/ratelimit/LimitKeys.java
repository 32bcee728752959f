package io.gatehouse.guard.ratelimit;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The bucket key of a request for one policy. Identities and header values are hashed (SHA-256, first 128 bits):
 * they may be long (a header can be 8 KiB, and a million keys of that would break the local store's memory bound),
 * and some are secrets (an API key header), which must not sit in clear in Redis. Keys of different kinds never
 * collide: each has its own prefix.
 */
public final class LimitKeys {
  /** n8n's own API key header: the identity of an {@code auth: n8n-api-key} caller. */
  private static final String N8N_API_KEY = "X-N8N-API-KEY";
  private static final String UNKNOWN_CLIENT = "ip:unknown";

  private final int ipv6Prefix;

  public LimitKeys(int ipv6Prefix) {
    this.ipv6Prefix = ipv6Prefix;
  }

  public String key(LimitPolicy policy, Exchange exchange) {
    return switch (policy.key()) {
      case CLIENT_IP -> client(exchange);
      case ROUTE -> "route";
      case IDENTITY -> identity(exchange);
      case HEADER -> header(policy.header().orElseThrow(), exchange);
    };
  }

  /** The client's network: after trusted-proxy resolution, IPv6 grouped by the configured prefix. */
  public String client(Exchange exchange) {
    return exchange.clientAddress() == null ? UNKNOWN_CLIENT
        : "ip:" + ClientNetwork.of(exchange.clientAddress(), ipv6Prefix);
  }

  /**
   * The authenticated subject (SSO or JWT), else the fingerprint of the one n8n API key the request carries (n8n
   * checks the key itself; the gateway only sees that there is one), else the client: a request without an identity
   * is still limited, by where it comes from.
   */
  private String identity(Exchange exchange) {
    Identity identity = exchange.identity().orElse(null);
    if (identity != null) return "id:" + hash(identity.subject());
    List<String> keys = exchange.request().headers().getAll(N8N_API_KEY);
    if (keys.size() == 1 && !keys.get(0).isBlank()) return "key:" + hash(keys.get(0));
    return client(exchange);
  }

  /**
   * Every value of the header, in order (a second copy cannot start a fresh bucket); the client when there is none,
   * so leaving the header out does not share one bucket with every other caller that leaves it out.
   */
  private String header(String name, Exchange exchange) {
    List<String> values = exchange.request().headers().getAll(name);
    if (values.isEmpty()) return client(exchange);
    return "h:" + hash(values.size() == 1 ? values.get(0) : String.join("\n", values));
  }

  static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
