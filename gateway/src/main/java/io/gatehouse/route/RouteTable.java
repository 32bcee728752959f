package io.gatehouse.route;

import io.gatehouse.core.Route;
import java.util.List;
import java.util.Optional;

/**
 * Gatehouse's reserved route first, then the config's routes in their order; the first that matches the normalized
 * path wins.
 */
public record RouteTable(Route reserved, List<Route> routes) {
  public RouteTable {
    routes = List.copyOf(routes);
  }

  public Optional<Route> match(String normalizedPath) {
    if (reserved.matches(normalizedPath)) return Optional.of(reserved);
    for (Route route : routes) {
      if (route.matches(normalizedPath)) return Optional.of(route);
    }
    return Optional.empty();
  }
}
