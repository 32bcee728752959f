package io.gatehouse.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an {@link UpstreamCall} reports of n8n's answer, on the call's event loop and in the caller's Vert.x context.
 * After {@link #onEnd()} or {@link #onFailure}, or once the caller aborted the call, nothing more is reported.
 */
public interface UpstreamResponseHandler {
  /** The final response head (interim 1xx responses are not reported). */
  void onHead(HttpResponse head);

  /** Some of the body, never empty. The handler owns the buffer and must release it. */
  void onContent(ByteBuf content);

  /** The response is complete. */
  void onEnd();

  /** The connection failed, closed or sent something that is not HTTP before the response was complete. */
  void onFailure(Throwable cause);
}
