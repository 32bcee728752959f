package io.gatehouse.guard.replay;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/**
 * The replay store of one replica: a bounded in-memory {@link ReplayWindow}, each entry expiring after the ttl it was
 * recorded with (webhooks may have different tolerances). With several replicas behind a load balancer a replay
 * sent to another replica is not seen: use {@link RedisReplayStore} there.
 *
 * <p>Only legitimately signed deliveries are recorded (a forged one is refused before), so filling the window
 * takes that many genuine deliveries within the ttl; past the bound the oldest are dropped first.
 */
public final class LocalReplayStore implements ReplayStore {
  /**
   * About 35 bytes an entry (the 128-bit key and its deadline in the ring, a ring flag, two index slots), so a full
   * store costs about 9 MB of the recommended 128 MiB heap and covers 400 deliveries a second for the default
   * 10-minute replay window. Busier replicas should share a Redis store, which has no such bound.
   */
  public static final int DEFAULT_MAX_ENTRIES = 250_000;

  private final ReplayWindow window;
  private final LongSupplier nanoTime;

  public LocalReplayStore() {
    this(DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  /** @param nanoTime the clock expiry is measured with (a fake one in tests) */
  public LocalReplayStore(int maxEntries, LongSupplier nanoTime) {
    this.window = new ReplayWindow(maxEntries);
    this.nanoTime = nanoTime;
  }

  @Override public Future<Boolean> firstSeen(String key, Duration ttl) {
    long[] bits = keyBits(key);
    long ttlNanos = ttl.toNanos();
    boolean first;
    // Event loops share the window; the critical section is a probe of a few array slots.
    synchronized (window) {
      first = window.recordIfAbsent(bits[0], bits[1], ttlNanos, nanoTime.getAsLong());
    }
    return Future.succeededFuture(first);
  }

  @Override public Future<Void> forget(String key) {
    long[] bits = keyBits(key);
    synchronized (window) {
      window.remove(bits[0], bits[1]);
    }
    return Future.succeededFuture();
  }

  /** The number of entries held (for tests of the bound). */
  long size() {
    synchronized (window) {
      return window.size();
    }
  }

  @Override public String name() {
    return "local";
  }

  @Override public Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * The first 128 bits of a replay key ({@link ReplayKeys}: 64 hex digits of a SHA-256): ample against collisions
   * (one in 2^64 after 2^32 deliveries within a window). A key of any other shape (tests) is hashed first, so equal
   * keys stay equal.
   */
  static long[] keyBits(String key) {
    String hex = isHexDigest(key) ? key : sha256Hex(key);
    return new long[] {Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16)};
  }

  private static boolean isHexDigest(String key) {
    if (key.length() != 64) return false;
    for (int i = 0; i < 64; i++) if (Character.digit(key.charAt(i), 16) < 0) return false;
    return true;
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is in every JDK", e);
    }
  }
}
