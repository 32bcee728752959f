package io.gatehouse.server;

import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.forward.ForwardSettings;
import io.gatehouse.forward.UpstreamPool;
import io.gatehouse.route.ClientAddressResolver;
import io.gatehouse.route.RouteTable;
import java.util.Map;
import java.util.Optional;

/**
 * Everything built from one config load. Requests read the current state once at arrival and keep it, so a
 * reload swaps it for new requests without touching those in flight.
 *
 * @param scrubber the PHI scrubber for routes that log payloads; empty when none does
 */
public record GatewayState(
    GatehouseConfig config,
    RouteTable routes,
    Map<String, UpstreamPool> pools,
    ClientAddressResolver clientAddresses,
    ForwardSettings forwardSettings,
    Optional<Scrubber> scrubber) {

  public GatewayState {
    pools = Map.copyOf(pools);
  }
}
