package io.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach a Redis: the top-level {@code redis} section, which every store set to {@code redis} without a URL of
 * its own shares (rate limits, the webhook replay store, SSO revocations; CONTRACT.md), or a store's own URL.
 *
 * @param url {@code redis://} or {@code rediss://} (TLS); may hold a password, so it is never shown
 * @param username the ACL user; empty for the default user
 * @param password the ACL password, from {@code ${env:}} or {@code ${file:}}; empty when the URL carries it or none
 * @param tls for {@code rediss://}: the CA that signs the server's certificate (the JVM's trust store when empty)
 *     and an optional client certificate and key (PEM)
 */
public record RedisConfig(URI url, Optional<String> username, Optional<Secret> password, Tls tls) {
  /** A bare URL: a store's own {@code redis:} key. */
  public static RedisConfig ofUrl(URI url) {
    return new RedisConfig(url, Optional.empty(), Optional.empty(), Tls.NONE);
  }

  public boolean usesTls() {
    return "rediss".equalsIgnoreCase(url.getScheme());
  }

  /** @param cert and {@code key} come together or not at all */
  public record Tls(Optional<Path> ca, Optional<Path> cert, Optional<Path> key) {
    public static final Tls NONE = new Tls(Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "RedisConfig[" + url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + ", username="
        + username.orElse("") + ", password=" + (password.isPresent() ? "***" : "none") + ", tls=" + tls + "]";
  }
}
