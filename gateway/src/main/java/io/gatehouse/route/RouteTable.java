package io.gatehouse.route;

import java.util.List;
import java.util.Optional;

/** Routes in config order; the first that matches the normalized path wins. */
public record RouteTable(List<Route> routes) {
  public RouteTable {
    routes = List.copyOf(routes);
  }

  public Optional<Route> match(String normalizedPath) {
    for (Route route : routes) {
      if (route.matches(normalizedPath)) return Optional.of(route);
    }
    return Optional.empty();
  }
}
