package io.gatehouse.cli;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings a running gateway cannot change without a restart: the listeners and their TLS setup (the sockets are
 * bound, and certificate files are reloaded on their own), the TLS handshake deadline (part of the listener's
 * options), the upstream connect deadline (part of the upstream clients' options) and the buffered-body allowance
 * (requests in flight hold shares of it). Everything else, timeouts and limits included, applies to the next request
 * or connection.
 */
final class RestartSettings {
  private RestartSettings() {}

  /** The key paths, in file order, whose values differ between {@code before} and {@code after}. */
  static List<String> changed(GatehouseConfig before, GatehouseConfig after) {
    ServerConfig a = before.server();
    ServerConfig b = after.server();
    List<String> keys = new ArrayList<>();
    differs(keys, "server.listen", a.listen(), b.listen());
    differs(keys, "server.tls", a.tls(), b.tls());
    differs(keys, "server.max_buffered_bodies", a.maxBufferedBodies(), b.maxBufferedBodies());
    differs(keys, "server.timeouts.request_header (TLS handshake part)", a.timeouts().requestHeader(),
        b.timeouts().requestHeader());
    differs(keys, "server.timeouts.upstream_connect", a.timeouts().upstreamConnect(), b.timeouts().upstreamConnect());
    differs(keys, "admin.listen", before.admin().listen(), after.admin().listen());
    return keys;
  }

  private static void differs(List<String> keys, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) keys.add(key);
  }
}
