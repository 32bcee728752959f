package io.gatehouse.core;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What the forwarder shows of the bodies it relays, for a route that logs payloads ({@link PayloadCapture}). Called
 * on the exchange's event loop with each chunk before it is written on; an implementation reads the chunk without
 * moving its indices or keeping it, and does bounded work per call, so the forward path is never delayed.
 */
public interface PayloadTaps {
  /** Taps nothing: every exchange of a route that logs no payloads. */
  PayloadTaps NONE = new PayloadTaps() {
    @Override public void request(ByteBuf chunk) {}
    @Override public void responseHead(HttpHeaders head) {}
    @Override public void response(ByteBuf chunk) {}
  };

  /** The next bytes of the request body as forwarded. */
  void request(ByteBuf chunk);

  /** The response's head has arrived from n8n; its body follows. */
  void responseHead(HttpHeaders head);

  /** The next bytes of the response body as relayed. */
  void response(ByteBuf chunk);
}
