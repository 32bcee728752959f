package io.gatehouse.forward;

import io.gatehouse.admin.GatewayMetrics;
import io.gatehouse.core.CredentialWatch;
import io.gatehouse.core.Exchange;
import io.gatehouse.http.RawStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * One WebSocket tunnel after n8n's 101: the two TCP streams relayed byte for byte with back-pressure, plus gateway
 * PINGs toward a client that has been silent for {@link ForwardSettings#tunnelPingInterval()}, so a client that
 * vanished without a FIN (lid shut, NAT entry dropped) is found.
 *
 * <p>Liveness is the client's bytes alone: the exchange's deadline ({@code websocket_idle}) moves only when the
 * client sends something, a PONG included, so a dead client behind a chatty n8n is still closed. A living client
 * answers every ping, so a quiet tunnel stays open. If pinging stops (n8n's stream could not be followed, or it sent
 * Close) n8n's bytes count too, as before pings: the tunnel is then closed only when quiet both ways.
 *
 * <p>The access log's byte counts stay what each side sent: bytes in include the PONGs taken out, bytes out leave out
 * the gateway's PINGs.
 */
final class WebSocketSplice {
  private static final System.Logger LOG = System.getLogger(WebSocketSplice.class.getName());

  private final Vertx vertx;
  private final Exchange exchange;
  private final RawStream client;
  private final RawStream upstream;
  private final long pingIntervalNanos;
  private final WebSocketPongFilter pongs = new WebSocketPongFilter();
  private final WebSocketPingWriter pings;
  private long lastClientByte = System.nanoTime();
  private long timerId = -1;
  private long credentialTimerId = -1;
  private boolean closed;
  private boolean logged;

  WebSocketSplice(Vertx vertx, Exchange exchange, RawStream client, RawStream upstream, Duration pingInterval) {
    this.vertx = vertx;
    this.exchange = exchange;
    this.client = client;
    this.upstream = upstream;
    this.pingIntervalNanos = pingInterval.toNanos();
    this.pings = new WebSocketPingWriter(client::write, pongs::pingSent);
  }

  /** Starts relaying; completes when both sides have closed. */
  Future<Void> run(Duration idleLimit, GatewayMetrics metrics) {
    Promise<Void> done = Promise.promise();
    // Never the connection's idle limit, which is for between requests.
    exchange.deadline().start(idleLimit, () -> {
      metrics.timedOut("tunnel_idle");
      client.close();
      upstream.close();
    });
    client.handler(buffer -> {
      lastClientByte = System.nanoTime();
      exchange.deadline().progress();
      exchange.addBytesIn(buffer.length());
      Buffer forward = pongs.filter(buffer);
      noteInvalid(pongs.invalid(), "the client's stream, so its PONGs now reach n8n");
      if (forward.length() > 0) upstream.write(forward);
      pushBack(client, upstream);
    });
    upstream.handler(buffer -> {
      if (!pings.pinging()) exchange.deadline().progress();
      exchange.addBytesOut(buffer.length());
      pings.relay(buffer);
      noteInvalid(pings.invalid(), "n8n's stream, so the gateway pings no more");
      pushBack(upstream, client);
    });
    client.closeHandler(() -> { upstream.close(); end(done); });
    upstream.closeHandler(() -> { client.close(); end(done); });
    scheduleCheck(pingIntervalNanos);
    exchange.credentialWatch().ifPresent(this::watchCredential);
    return done.future();
  }

  /** Closes the tunnel once the credential it was opened with has ended (a session logged out or cut off). */
  private void watchCredential(CredentialWatch watch) {
    long every = Math.max(1_000, watch.every().toMillis());
    credentialTimerId = vertx.setPeriodic(every, id -> {
      if (closed) return;
      watch.stillValid().get().onComplete(ar -> {
        if (closed || (ar.succeeded() && ar.result())) return;
        exchange.detail("tunnel closed: the session it was opened with ended");
        client.close();
        upstream.close();
      });
    });
  }

  /** Client silent for an interval: ping; then look again one interval after its last byte (or our ping). */
  private void checkClient() {
    timerId = -1;
    if (closed || !pings.pinging()) return;
    long silent = System.nanoTime() - lastClientByte;
    if (silent >= pingIntervalNanos) {
      pings.pingDue();
      scheduleCheck(pingIntervalNanos);
    } else {
      scheduleCheck(pingIntervalNanos - silent);
    }
  }

  private void scheduleCheck(long delayNanos) {
    timerId = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> checkClient());
  }

  private void end(Promise<Void> done) {
    closed = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
    if (credentialTimerId >= 0) vertx.cancelTimer(credentialTimerId);
    credentialTimerId = -1;
    done.tryComplete();
  }

  /** Logged once per tunnel: a stream we cannot follow is relayed untouched; worth knowing, not repeating. */
  private void noteInvalid(String why, String consequence) {
    if (why == null || logged) return;
    logged = true;
    LOG.log(Level.WARNING, "WebSocket tunnel of request {0}: {1} in {2}; bytes are relayed untouched",
        exchange.requestId(), why, consequence);
  }

  private static void pushBack(RawStream from, RawStream to) {
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(from::resume);
    }
  }
}
