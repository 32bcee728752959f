package io.gatehouse.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The public listener.
 *
 * @param publicUrl the URL clients use; its host:port becomes {@code X-Forwarded-Host} so n8n's push origin check passes
 * @param trustedProxies peers whose {@code X-Forwarded-For} and {@code X-Request-Id} are believed
 * @param maxBody largest request body in bytes, checked up front and while streaming; a route may lower it
 * @param maxBufferedBodies the most bytes of request bodies held in memory at once, over all requests (bodies read
 *     whole before forwarding: signed webhooks); empty for the default, a quarter of the heap
 * @param maxConnections open client connections above this are closed as they arrive; empty for the default, one
 *     per 32 KiB of heap (at most 20,000)
 * @param maxConnectionsPerIp the same, per client address (the socket peer)
 */
public record ServerConfig(
    HostPort listen,
    URI publicUrl,
    TlsConfig tls,
    List<Cidr> trustedProxies,
    long maxBody,
    Timeouts timeouts,
    Optional<Long> maxBufferedBodies,
    Optional<Integer> maxConnections,
    int maxConnectionsPerIp) {

  public ServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
