package io.gatehouse.core;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How a long-lived exchange (a WebSocket tunnel) learns that the credential it was opened with has ended: asked
 * every {@code every}, {@code stillValid} completes with false once it has (the session revoked, expired, or refused
 * at revalidation by the IdP), and the tunnel is closed. Set by the authentication guard that let the exchange in.
 */
public record CredentialWatch(Duration every, Supplier<Future<Boolean>> stillValid) {}
