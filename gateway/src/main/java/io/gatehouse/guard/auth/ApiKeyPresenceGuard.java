package io.gatehouse.guard.auth;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Guard;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Verdict;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code auth: n8n-api-key}: the request must carry exactly one non-empty {@code X-N8N-API-KEY}. n8n itself
 * checks the key's validity and scopes; the gateway keeps callers without one from reaching n8n's API at all,
 * and refuses two copies, which n8n and the gateway might read differently.
 */
public final class ApiKeyPresenceGuard implements Guard {
  static final String HEADER = "X-N8N-API-KEY";

  @Override public Future<Verdict> check(Exchange exchange) {
    List<String> keys = exchange.request().headers().getAll(HEADER);
    if (keys.size() != 1 || keys.get(0).isBlank()) return Verdict.refuse(Reason.UNAUTHENTICATED);
    return Verdict.PASS;
  }
}
