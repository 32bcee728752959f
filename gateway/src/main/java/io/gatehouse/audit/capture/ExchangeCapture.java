package io.gatehouse.audit.capture;

import io.gatehouse.audit.scrub.BodyKind;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.core.BodyBudget;
import io.gatehouse.core.PayloadCapture;
import io.gatehouse.core.PayloadTaps;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The taps of one exchange whose route logs payloads: each body's is made at its first bytes, with the type from its
 * head (the request's, seen before forwarding; n8n's, once it arrives). Holds the scrubber of the config the request
 * arrived under. Confined to the exchange's event loop until {@link #finish()}.
 */
final class ExchangeCapture implements PayloadTaps {
  private final PayloadCapture mode;
  private final Scrubber scrubber;
  private final BodyBudget.Reservation reservation;
  private final HttpHeaders requestHead;
  private HttpHeaders responseHead;
  // Made at a body's first bytes: most GETs have none, and a tap costs an HMAC's setup.
  private BodyTap request;
  private BodyTap response;

  ExchangeCapture(PayloadCapture mode, Scrubber scrubber, BodyBudget.Reservation reservation, HttpHeaders head) {
    this.mode = mode;
    this.scrubber = scrubber;
    this.reservation = reservation;
    this.requestHead = head;
  }

  Scrubber scrubber() {
    return scrubber;
  }

  /** Gives back the budget the copies drew on, once they have been scrubbed (or dropped). Any thread. */
  void release() {
    reservation.release();
  }

  @Override
  public void request(ByteBuf chunk) {
    if (!mode.request() || !chunk.isReadable()) return;
    if (request == null) request = tap(BodyPart.REQUEST, requestHead);
    request.take(chunk);
  }

  @Override
  public void responseHead(HttpHeaders head) {
    responseHead = head;
  }

  @Override
  public void response(ByteBuf chunk) {
    if (!mode.response() || responseHead == null || !chunk.isReadable()) return;
    if (response == null) response = tap(BodyPart.RESPONSE, responseHead);
    response.take(chunk);
  }

  /** The bodies that had any bytes; the taps are done. */
  List<CapturedBody> finish() {
    List<CapturedBody> bodies = new ArrayList<>(2);
    if (request != null) bodies.add(request.finish());
    if (response != null) bodies.add(response.finish());
    return bodies;
  }

  private BodyTap tap(BodyPart part, HttpHeaders head) {
    // The scrubber reads the whole header (its charset); the entry shows only the media type.
    String type = head.get(HttpHeaderNames.CONTENT_TYPE);
    // gzip and deflate are decoded on a worker, bounded (BodyDecoding); any other encoding is logged by size and
    // HMAC only, so its bytes are not worth copying.
    String encoding = HeaderWords.encoding(head.get(HttpHeaderNames.CONTENT_ENCODING));
    boolean keep = (encoding == null || BodyDecoding.decodable(encoding)) && BodyKind.of(type) != BodyKind.OMITTED;
    return new BodyTap(part, type, encoding, keep, scrubber.policy().maxPayload(), scrubber.newHmac(), reservation);
  }
}
