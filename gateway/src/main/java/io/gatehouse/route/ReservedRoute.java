package io.gatehouse.route;

import io.gatehouse.core.GuardChain;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The route of Gatehouse's own endpoints, {@code /_gatehouse/...} (CONTRACT.md's reserved paths): matched before
 * every config route, never forwarded, so no config can expose n8n (or anything) under it. A path under the prefix
 * with no endpoint is 404 {@code no_route}. Each endpoint applies its own checks; the route has no guards.
 */
public final class ReservedRoute {
  public static final String PREFIX = "/_gatehouse/";
  public static final String NAME = "gatehouse";

  private ReservedRoute() {}

  /** @param endpoints by exact normalized path, e.g. {@code /_gatehouse/logout} */
  public static Route of(Map<String, LocalEndpoint> endpoints, long maxBody) {
    Map<String, LocalEndpoint> byPath = Map.copyOf(endpoints);
    for (String path : byPath.keySet()) {
      if (!path.startsWith(PREFIX)) throw new IllegalArgumentException(path + " is not under " + PREFIX);
    }
    LocalEndpoint dispatch = exchange -> {
      LocalEndpoint endpoint = byPath.get(exchange.path());
      return endpoint == null ? Future.succeededFuture(new LocalAnswer.Refusal(new Verdict.Refuse(Reason.NO_ROUTE)))
          : endpoint.serve(exchange);
    };
    // Fails open: a full disk must not stop a back-channel logout from ending sessions, nor people from logging in
    // to an editor that itself fails open; each entry lost is still counted.
    return new Route(NAME, List.of(PREFIX), new GuardChain(List.of()), new Route.Target.Local(dispatch), PayloadCapture.OFF, maxBody,
        new Route.AuditPolicy(false, java.util.Set.of()), Route.Role.OTHER);
  }

  /** No endpoints yet: every reserved path is 404, and still never forwarded. */
  public static Route empty(long maxBody) {
    return of(Map.of(), maxBody);
  }
}
