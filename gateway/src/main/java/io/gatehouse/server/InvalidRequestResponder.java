package io.gatehouse.server;

import io.gatehouse.core.Exchange;
import io.gatehouse.core.Reason;
import io.netty.handler.codec.TooLongFrameException;
import java.util.function.Supplier;

/**
 * Answers requests Netty could not parse (oversized request line or headers, malformed framing, an HTTP version
 * other than 1.0 and 1.1) with the gateway's own refusal, request id and access record; the connection is closed
 * after, since its framing can no longer be trusted.
 */
final class InvalidRequestResponder {
  private final Supplier<GatewayState> state;
  private final ExchangeRecorder recorder;
  private final RefusalResponder refusals;

  InvalidRequestResponder(Supplier<GatewayState> state, ExchangeRecorder recorder, RefusalResponder refusals) {
    this.state = state;
    this.recorder = recorder;
    this.refusals = refusals;
  }

  void handle(ClientStream request, ClientConnection client, Throwable cause) {
    Exchange exchange = recorder.begin(request, state.get(), client);
    Reason reason = cause instanceof TooLongFrameException ? Reason.HEADERS_TOO_LARGE : Reason.BAD_REQUEST;
    String detail = cause == null ? "invalid request" : cause.getClass().getSimpleName();
    refusals.send(exchange, reason, true).onComplete(v -> {
      recorder.finish(exchange, detail);
      request.closeConnection();
    });
  }
}
