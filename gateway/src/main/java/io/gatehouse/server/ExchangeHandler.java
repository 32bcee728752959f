package io.gatehouse.server;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.MalformedBodyException;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import io.gatehouse.core.Verdict;
import io.gatehouse.forward.HttpForwarder;
import io.gatehouse.forward.UpstreamFailure;
import io.gatehouse.forward.UpstreamPool;
import io.gatehouse.forward.WebSocketTunnel;
import io.gatehouse.http.ClientGoneException;
import io.gatehouse.http.ClientRequest;
import io.gatehouse.route.Normalized;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RequestHygiene;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One request from arrival to audit: classify (hygiene, path normalization, client address, route), run the
 * route's guards, forward, and write exactly one access record whatever the outcome. A reviewer can read this
 * class top to bottom and say why a request was let through.
 */
final class ExchangeHandler {
  private final Supplier<GatewayState> state;
  private final HttpForwarder forwarder;
  private final WebSocketTunnel webSockets;
  private final ExchangeRecorder recorder;
  private final RefusalResponder refusals;
  private final LocalAnswerWriter localAnswers = new LocalAnswerWriter();
  private final GatewayMetrics metrics;
  private final GuardFailureLog guardFailures = new GuardFailureLog();

  ExchangeHandler(
      Supplier<GatewayState> state,
      HttpForwarder forwarder,
      WebSocketTunnel webSockets,
      ExchangeRecorder recorder,
      RefusalResponder refusals,
      GatewayMetrics metrics) {
    this.state = state;
    this.forwarder = forwarder;
    this.webSockets = webSockets;
    this.recorder = recorder;
    this.refusals = refusals;
    this.metrics = metrics;
  }

  void handle(ClientStream request, ClientConnection client) {
    // Nothing of the body is read until every guard has passed (a stream starts paused).
    GatewayState current = state.get();
    Exchange exchange = recorder.begin(request, current, client);
    // Until a reader of the body takes over: a body the decoder refuses, or a client that goes away, while guards run
    // or the upstream connection opens; the exchange would otherwise wait forever for a body that will not come.
    request.exceptionHandler(failure -> failedBeforeForwarding(exchange, failure));
    request.response().closeHandler(() -> failedBeforeForwarding(exchange, new ClientGoneException("client closed")));

    Optional<String> problem = RequestHygiene.check(request);
    if (problem.isPresent()) {
      refuseAndClose(exchange, problem.get());
      return;
    }
    if (!classify(exchange, current)) return;
    Route route = exchange.route().orElseThrow();
    route.guards().run(exchange).onComplete(ar -> {
      if (exchange.finished()) return;
      Verdict verdict = ar.succeeded() ? ar.result() : new Verdict.Refuse(Reason.GUARD_ERROR);
      if (verdict instanceof Verdict.Refuse refusal) {
        exchange.guardFailure().ifPresent(failure -> reportGuardFailure(exchange, route, failure));
        // A guard may have said why (for the audit log only); keep that rather than a bare "guard".
        refuse(exchange, refusal, exchange.detail() != null ? exchange.detail() : "guard", true);
      } else {
        forward(exchange, route, current);
      }
    });
  }

  private void failedBeforeForwarding(Exchange exchange, Throwable failure) {
    if (exchange.finished()) return;
    if (failure instanceof MalformedBodyException malformed) {
      // Answered now, with Connection: close: the decoder discards everything after the bad bytes, so nothing more
      // on this connection can be framed.
      refuse(exchange, malformed.reason(), malformed.getMessage(), true);
    } else {
      refuse(exchange, Reason.CLIENT_CLOSED, "client closed before forwarding", true);
    }
  }

  private void reportGuardFailure(Exchange exchange, Route route, Exchange.GuardFailure failure) {
    guardFailures.report(route.name(), exchange.requestId(), failure);
    metrics.guardError(route.name(), failure.guard());
    exchange.detail("guard " + failure.guard() + " failed: " + failure.cause().getClass().getSimpleName());
  }

  /** Normalizes the path and picks the route; refuses and returns false when it cannot. */
  private boolean classify(Exchange exchange, GatewayState current) {
    ClientRequest request = exchange.request();
    Normalized target = PathNormalizer.normalizeTarget(request.uri());
    if (target instanceof Normalized.Rejected rejected) {
      refuseAndClose(exchange, rejected.detail());
      return false;
    }
    Normalized.Ok ok = (Normalized.Ok) target;
    exchange.path(ok.path());
    exchange.query(ok.rawQuery());
    Optional<Route> route = current.routes().match(ok.path());
    if (route.isEmpty()) {
      refuse(exchange, Reason.NO_ROUTE, "no route", true);
      return false;
    }
    exchange.route(route.get());
    if (route.get().audit().failClosed() && !recorder.auditWritable()) {
      // Before any guard or body: the request would leave no trace, so it is not served at all.
      refuse(exchange, Reason.AUDIT_UNAVAILABLE, "audit log cannot be written", true);
      return false;
    }
    String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    // RequestHygiene has checked it is all digits; more than 18 of them cannot be a length we accept anyway.
    if (length != null && (length.length() > 18 || Long.parseLong(length) > route.get().maxBody())) {
      refuse(exchange, Reason.BODY_TOO_LARGE, "declared length over max_body", true);
      return false;
    }
    return true;
  }

  private void forward(Exchange exchange, Route route, GatewayState current) {
    if (route.target() instanceof Route.Target.Upstream upstream) {
      forwardTo(exchange, current.pools().get(upstream.pool()), current);
    } else if (route.target() instanceof Route.Target.Local local) {
      serveLocally(exchange, local.endpoint());
    } else {
      // Only a deny rule has no target, and it refuses before this; should a pass reach here, it is still refused.
      refuse(exchange, Reason.ROUTE_DENIED, "route has no upstream", true);
    }
  }

  /** One of Gatehouse's own endpoints: its answer is written here, like a refusal, and recorded the same way. */
  private void serveLocally(Exchange exchange, LocalEndpoint endpoint) {
    Future<LocalAnswer> answer;
    try {
      answer = endpoint.serve(exchange);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      if (exchange.finished()) return;
      if (ar.failed()) {
        Route route = exchange.route().orElseThrow();
        reportGuardFailure(exchange, route, new Exchange.GuardFailure(endpoint.getClass().getSimpleName(), ar.cause()));
        refuse(exchange, Reason.GUARD_ERROR, exchange.detail(), true);
      } else if (ar.result() instanceof LocalAnswer.Refusal refusal) {
        refuse(exchange, refusal.refusal(), exchange.detail() != null ? exchange.detail() : "gatehouse endpoint", true);
      } else {
        LocalAnswer.Response response = (LocalAnswer.Response) ar.result();
        localAnswers.send(exchange, response, hasUnreadBody(exchange.request())).onComplete(v -> recorder.finish(exchange, null));
      }
    });
  }

  private void forwardTo(Exchange exchange, UpstreamPool pool, GatewayState current) {
    Future<Void> done;
    if (exchange.request().isWebSocketHandshake()) {
      // A tunnel's frames are not payloads: log_payloads does not reach them.
      done = webSockets.tunnel(exchange, pool, current.forwardSettings());
    } else {
      // Only a request that passed every guard: a refused body is the sender's, not n8n's, and logging it would let
      // anyone fill the audit log.
      recorder.capturePayloads(exchange, exchange.route().orElseThrow(), current);
      done = forwarder.forward(exchange, pool, current.forwardSettings());
    }
    done.onComplete(ar -> {
      if (exchange.finished()) return;
      if (ar.succeeded()) {
        recorder.finish(exchange, null);
        return;
      }
      if (ar.cause() instanceof UpstreamFailure failure && !failure.responseStarted() && failure.reason() != Reason.NONE) {
        // Whatever of the body n8n did not get is still unread: the connection closes after the answer if any is left.
        refuse(exchange, failure.reason(), failure.getMessage(), true);
      } else {
        // The response had started (or the client left): the stream was cut; record what happened.
        Reason reason = ar.cause() instanceof UpstreamFailure f ? f.reason() : Reason.UPSTREAM_UNAVAILABLE;
        if (reason != Reason.NONE) exchange.reason(reason);
        recorder.finish(exchange, ar.cause().getMessage());
      }
    });
  }

  private void refuse(Exchange exchange, Reason reason, String detail, boolean bodyMayBeUnread) {
    refuse(exchange, new Verdict.Refuse(reason), detail, bodyMayBeUnread);
  }

  private void refuse(Exchange exchange, Verdict.Refuse refusal, String detail, boolean bodyMayBeUnread) {
    boolean close = bodyMayBeUnread && hasUnreadBody(exchange.request());
    refusals.send(exchange, refusal, close).onComplete(v -> recorder.finish(exchange, detail));
  }

  /**
   * A 400 for a malformed or ambiguous head always ends an HTTP/1.x connection, body or not: whatever sent it does
   * not frame requests as we do, so nothing more is read from it (a request pipelined after two Host headers or a
   * TRACE may be the second half of a smuggling attempt aimed at another hop). nginx closes after a 400 as well.
   */
  private void refuseAndClose(Exchange exchange, String detail) {
    refusals.send(exchange, Reason.BAD_REQUEST, true).onComplete(v -> recorder.finish(exchange, detail));
  }

  private static boolean hasUnreadBody(ClientRequest request) {
    return !request.isEnded() && hasBody(request);
  }

  private static boolean hasBody(ClientRequest request) {
    String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) || (length != null && !length.equals("0"))
        || request.protocol().isHttp2();
  }
}
