package io.gatehouse.core;

import io.gatehouse.http.ClientRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything the gateway learns about one request as it passes classify, guards and forward. Confined to the
 * request's event loop, so it needs no synchronization; guards read it and add to it through typed accessors.
 */
public final class Exchange {
  private final String requestId;
  private final ClientRequest request;
  private final Instant startedAt = Instant.now();
  private final long startNanos = System.nanoTime();
  private final Deadline deadline;

  private String path = "";
  private String query;
  private InetAddress clientAddress;
  private Route route;
  private String clientCertificateSubject;
  private Identity identity;
  private ResponseHeaders responseHeaders = ResponseHeaders.NONE;
  private UpstreamHeaderEdits upstreamEdits;
  private Reason reason = Reason.NONE;
  private int status;
  private long bytesIn;
  private long bytesOut;
  private String upstreamTarget;
  private boolean finished;
  private String detail;
  private String publicNote;
  private CredentialWatch credentialWatch;
  private BufferedBody body;
  private BodyBudget.Reservation bodyReservation;
  private Runnable onFailedDelivery;
  private GuardFailure guardFailure;
  private PayloadTaps payloadTaps = PayloadTaps.NONE;

  /** An exchange whose deadlines nobody watches (tests). */
  public Exchange(String requestId, ClientRequest request) {
    this(requestId, request, Deadline.UNWATCHED);
  }

  /** @param watch the connection's timer, which enforces this exchange's {@link #deadline()} */
  public Exchange(String requestId, ClientRequest request, Deadline.Watch watch) {
    this.requestId = requestId;
    this.request = request;
    this.deadline = new Deadline(watch);
  }

  public String requestId() { return requestId; }
  public ClientRequest request() { return request; }
  public Instant startedAt() { return startedAt; }
  public long startNanos() { return startNanos; }

  /** The normalized path: the one matched and the one forwarded. */
  public String path() { return path; }
  public void path(String normalizedPath) { this.path = normalizedPath; }

  /** The raw query string, without the {@code ?}; null when there is none. */
  public String query() { return query; }
  public void query(String rawQuery) { this.query = rawQuery; }

  /** The socket peer, or the rightmost untrusted {@code X-Forwarded-For} hop behind a trusted proxy. */
  public InetAddress clientAddress() { return clientAddress; }
  public void clientAddress(InetAddress address) { this.clientAddress = address; }

  public Optional<Route> route() { return Optional.ofNullable(route); }
  public void route(Route matched) { this.route = matched; }

  /** The verified mTLS client certificate's subject DN, when the listener asks for one. */
  public Optional<String> clientCertificateSubject() { return Optional.ofNullable(clientCertificateSubject); }
  public void clientCertificateSubject(String subject) { this.clientCertificateSubject = subject; }

  /** Who the request is from, once an authentication guard has established it. */
  public Optional<Identity> identity() { return Optional.ofNullable(identity); }
  public void identity(Identity authenticated) { this.identity = authenticated; }

  /** How a tunnel opened by this exchange learns that its credential ended; empty when nothing can end it. */
  public Optional<CredentialWatch> credentialWatch() { return Optional.ofNullable(credentialWatch); }
  public void credentialWatch(CredentialWatch watch) { this.credentialWatch = watch; }

  /** Headers guards added for the client's response, whatever it turns out to be (a refreshed session cookie). */
  public ResponseHeaders responseHeaders() { return responseHeaders; }
  public void addResponseHeaders(ResponseHeaders more) { this.responseHeaders = responseHeaders.and(more); }

  /** What guards changed in the headers sent upstream; created on first use, most exchanges have none. */
  public UpstreamHeaderEdits upstreamEdits() {
    if (upstreamEdits == null) upstreamEdits = new UpstreamHeaderEdits();
    return upstreamEdits;
  }

  /** The edits, or null when no guard made any (the forwarder's fast path). */
  public UpstreamHeaderEdits upstreamEditsIfAny() { return upstreamEdits; }

  /**
   * A fixed sentence the gateway may show the client with a refusal page (which rule refused a signed-in person);
   * never data from the request or the identity. Null when there is none.
   */
  public String publicNote() { return publicNote; }
  public void publicNote(String note) { this.publicNote = note; }

  /** Why the exchange was refused or cut, for the audit log only; null when it went through. */
  public String detail() { return detail; }
  public void detail(String why) { this.detail = why; }

  /**
   * The whole request body, when a guard had to read it before forwarding (a webhook whose signature was checked);
   * the forwarder then sends exactly these bytes instead of streaming the request. Null when the body is unread.
   */
  public BufferedBody body() { return body; }
  public void body(BufferedBody read) { this.body = read; }

  /** Where the forwarder shows the bodies it relays; {@link PayloadTaps#NONE} unless the route logs payloads. */
  public PayloadTaps payloadTaps() { return payloadTaps; }
  public void payloadTaps(PayloadTaps taps) { this.payloadTaps = taps; }

  /** The limit on the exchange's current phase, enforced by its connection. */
  public Deadline deadline() { return deadline; }

  /** The share of the body budget this exchange holds while its body is in memory; null when it holds none. */
  public BodyBudget.Reservation bodyReservation() { return bodyReservation; }
  public void bodyReservation(BodyBudget.Reservation reservation) { this.bodyReservation = reservation; }

  /** The body has been handed on (or is no longer needed): its bytes leave the budget. */
  public void releaseBody() {
    if (bodyReservation != null) bodyReservation.release();
    body = null;
  }

  /**
   * Runs {@code action} if the client is answered with a 5xx (n8n unreachable, too slow, or failing): a webhook
   * sender then retries, and whatever a guard recorded as delivered (a replay key) must not refuse that retry.
   */
  public void onFailedDelivery(Runnable action) { this.onFailedDelivery = action; }

  /** Called when the exchange ends with a 5xx; runs the registered action at most once. */
  public void deliveryFailed() {
    Runnable action = onFailedDelivery;
    onFailedDelivery = null;
    if (action != null) action.run();
  }

  /** A guard that threw or failed instead of deciding; the request was refused with {@code guard_error}. */
  public record GuardFailure(String guard, Throwable cause) {}

  public Optional<GuardFailure> guardFailure() { return Optional.ofNullable(guardFailure); }
  public void guardFailure(GuardFailure failure) { this.guardFailure = failure; }

  public Reason reason() { return reason; }
  public void reason(Reason refusal) { this.reason = refusal; }

  /** The status sent to the client (0 until a response has started). */
  public int status() { return status; }
  public void status(int sent) { this.status = sent; }

  public long bytesIn() { return bytesIn; }
  public void addBytesIn(long n) { bytesIn += n; }
  public long bytesOut() { return bytesOut; }
  public void addBytesOut(long n) { bytesOut += n; }

  /** The upstream target ({@code host:port}) the request was sent to, if any. */
  public Optional<String> upstreamTarget() { return Optional.ofNullable(upstreamTarget); }
  public void upstreamTarget(String target) { this.upstreamTarget = target; }

  /** Whether the exchange has been recorded: whatever is still running for it (a guard, a connect) must stop. */
  public boolean finished() { return finished; }

  /** True the first time only: an exchange is recorded exactly once, however many paths reach its end. */
  public boolean markFinished() {
    if (finished) return false;
    finished = true;
    deadline.clear();
    releaseBody();
    return true;
  }

  public long elapsedMicros() {
    return (System.nanoTime() - startNanos) / 1_000;
  }
}
