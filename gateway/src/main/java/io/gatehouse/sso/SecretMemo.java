package io.gatehouse.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * What a costly check made of a secret string (a bearer token, a session cookie), remembered by that string: a
 * client sends the same one on every request, and checking it again was most of the request's cost.
 *
 * <p>Looked up by the string's hash code, then matched by a constant-time comparison of the whole string, so no
 * lookup takes a time that depends on where a guess differs from a remembered secret. Two strings with the same hash
 * code share a slot (the later one replaces the other, which is then simply checked again). Bounded in count and
 * age; callers put only what passed their check, so made-up values cannot fill it.
 */
public final class SecretMemo<V> {
  private record Entry<V>(byte[] secret, V value) {}

  private final Cache<Integer, Entry<V>> entries;

  public SecretMemo(int maxEntries, Duration keepFor) {
    this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(keepFor)
        .executor(Runnable::run).build();
  }

  /** The value remembered for exactly {@code secret}, or null. */
  public V get(String secret) {
    Entry<V> entry = entries.getIfPresent(secret.hashCode());
    if (entry == null) return null;
    return MessageDigest.isEqual(entry.secret(), bytes(secret)) ? entry.value() : null;
  }

  public void put(String secret, V value) {
    entries.put(secret.hashCode(), new Entry<>(bytes(secret), value));
  }

  /** UTF-8: distinct strings stay distinct bytes (tokens and cookies are ASCII, but anything may be sent). */
  private static byte[] bytes(String secret) {
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
