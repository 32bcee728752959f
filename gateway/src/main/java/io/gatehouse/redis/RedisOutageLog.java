package io.gatehouse.redis;

import io.gatehouse.config.RedisConfig;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the log once when a store's Redis stops answering and once when it answers again, rather than once per
 * failed call (a webhook burst during an outage would otherwise bury everything else). The metrics count each call.
 * A line names the Redis by {@code host:port} and the failure by class and message ({@link RedisClients#describe}),
 * never by the URL or the password. Shared by every event loop.
 */
public final class RedisOutageLog {
  private final System.Logger log;
  private final String store;
  private final RedisConfig config;
  private final AtomicBoolean down = new AtomicBoolean();

  /** @param store what the lines are about, e.g. {@code "replay store"} */
  public RedisOutageLog(System.Logger log, String store, RedisConfig config) {
    this.log = log;
    this.store = store;
    this.config = config;
  }

  /**
   * A call failed or timed out; logs only the first failure of an outage.
   *
   * @param meanwhile what happens while Redis is down, for the operator reading the line
   */
  public void failed(Throwable cause, String meanwhile) {
    if (down.compareAndSet(false, true)) {
      log.log(System.Logger.Level.WARNING, "{0}: redis at {1} cannot be used ({2}); {3}", store,
          RedisClients.endpoint(config), RedisClients.describe(cause, config), meanwhile);
    }
  }

  /** A call succeeded; logs the end of an outage. */
  public void answered() {
    if (down.get() && down.compareAndSet(true, false)) {
      log.log(System.Logger.Level.INFO, "{0}: redis at {1} answers again", store, RedisClients.endpoint(config));
    }
  }
}
