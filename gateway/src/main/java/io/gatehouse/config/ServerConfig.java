package io.gatehouse.config;

import java.net.URI;
import java.util.List;

/**
 * The public listener.
 *
 * @param publicUrl the URL clients use; its host:port becomes {@code X-Forwarded-Host} so n8n's push origin check passes
 * @param trustedProxies peers whose {@code X-Forwarded-For} and {@code X-Request-Id} are believed
 * @param maxBody largest request body in bytes, checked up front and while streaming
 */
public record ServerConfig(
    HostPort listen,
    URI publicUrl,
    TlsConfig tls,
    List<Cidr> trustedProxies,
    long maxBody,
    Timeouts timeouts) {

  public ServerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
