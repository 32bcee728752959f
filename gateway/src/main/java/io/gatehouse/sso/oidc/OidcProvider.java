package io.gatehouse.sso.oidc;

import io.gatehouse.sso.jwt.HttpJwksSource;
import io.gatehouse.sso.jwt.JwtVerifier;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One OIDC issuer as Gatehouse uses it: its discovery document (read through vertx-auth-oauth2, which also performs
 * the code exchange and refresh grants), and a {@link JwtVerifier} on its JWKS for ID tokens and bearer tokens. We
 * verify every JWT ourselves: vertx-auth-oauth2 would send a token it cannot verify to introspection or userinfo (an
 * IdP call per forged token) and lets a token without {@code aud} pass.
 *
 * <p>Discovery runs at start and is retried, at most once per {@link #RETRY_AFTER}, while the IdP cannot be
 * reached: the gateway starts without its IdP (existing sessions need none on the hot path); what needs the IdP
 * meanwhile gets {@code idp_unavailable}.
 */
public final class OidcProvider {
  private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  /** How long one failed call marks the IdP as down for logins. */
  static final Duration DOWN_FOR = Duration.ofSeconds(15);
  private static final Duration IDP_TIMEOUT = Duration.ofSeconds(5);
  /** Clock skew allowed on exp, nbf and iat (the 60 s at most). */
  static final Duration SKEW = Duration.ofSeconds(60);

  /** What discovery found. {@code endSession} may be null (not every IdP has RP-initiated logout). */
  public record Discovered(OAuth2Auth auth, URI authorization, URI token, URI endSession, JwtVerifier tokens) {}

  private final Vertx vertx;
  private final URI issuer;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;
  private final Object lock = new Object();
  private Future<Discovered> current;
  private long failedAtMillis = Long.MIN_VALUE;
  /** When a call last found the IdP unreachable; 0 for never. */
  private volatile long unreachableAtMillis;

  /** @param clientSecret null for an issuer used only to verify bearer tokens */
  public OidcProvider(Vertx vertx, URI issuer, String clientId, String clientSecret, Clock clock) {
    this.vertx = vertx;
    this.issuer = issuer;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
  }

  public URI issuer() {
    return issuer;
  }

  /** The discovered issuer, discovering it first (or again, after a failure) when needed. */
  public Future<Discovered> discovered() {
    synchronized (lock) {
      if (current != null && (!current.failed() || clock.millis() - failedAtMillis < RETRY_AFTER.toMillis())) {
        return current;
      }
      current = discover();
      return current;
    }
  }

  /** A call to this IdP just failed for want of an answer (token endpoint, keys): logins stop for a while. */
  public void markUnreachable() {
    unreachableAtMillis = clock.millis();
  }

  /**
   * Whether the IdP failed to answer in the last {@link #DOWN_FOR}: a browser is then told so (503) rather than sent
   * to a login page that will not load. Discovery failing counts too.
   */
  public boolean recentlyUnreachable() {
    long now = clock.millis();
    synchronized (lock) {
      if (current != null && current.failed() && now - failedAtMillis < DOWN_FOR.toMillis()) return true;
    }
    long at = unreachableAtMillis;
    return at != 0 && now - at < DOWN_FOR.toMillis();
  }

  /** Whether discovery has succeeded, without starting it. */
  public boolean isReady() {
    synchronized (lock) {
      return current != null && current.succeeded();
    }
  }

  private Future<Discovered> discover() {
    OAuth2Options options = new OAuth2Options()
        .setSite(issuer.toString())
        .setClientId(clientId)
        .setValidateIssuer(true);
    if (clientSecret != null) options.setClientSecret(clientSecret);
    options.getHttpClientOptions().setConnectTimeout((int) IDP_TIMEOUT.toMillis())
        .setIdleTimeout((int) IDP_TIMEOUT.toSeconds());
    Promise<Discovered> result = Promise.promise();
    // discover() writes the endpoints it read into the options it was given.
    OpenIDConnectAuth.discover(vertx, options).onComplete(ar -> {
      if (ar.failed()) {
        fail(result, ar.cause());
        return;
      }
      if (options.getJwkPath() == null || options.getTokenPath() == null || options.getAuthorizationPath() == null) {
        fail(result, new IllegalStateException("discovery document lacks jwks_uri, token or authorization endpoint"));
        return;
      }
      URI jwks = URI.create(absolute(options.getJwkPath()));
      JwtVerifier verifier = new JwtVerifier(issuer.toString(), new HttpJwksSource(vertx, jwks, null, IDP_TIMEOUT),
          SKEW, clock);
      verifier.refresh().onComplete(keys -> {
        if (keys.failed()) {
          fail(result, keys.cause());
          return;
        }
        String logout = options.getLogoutPath();
        result.complete(new Discovered(ar.result(), URI.create(absolute(options.getAuthorizationPath())),
            URI.create(absolute(options.getTokenPath())), logout == null ? null : URI.create(absolute(logout)),
            verifier));
        LOG.info("OIDC issuer " + issuer + " discovered (" + verifier.cachedKeyCount() + " signing keys)");
      });
    });
    return result.future();
  }

  private void fail(Promise<Discovered> result, Throwable cause) {
    synchronized (lock) {
      failedAtMillis = clock.millis();
    }
    // The class only: an IdP's error text could carry anything.
    LOG.log(Level.WARNING, "OIDC issuer " + issuer + " unavailable: " + cause.getClass().getSimpleName());
    result.fail(cause);
  }

  private String absolute(String pathOrUrl) {
    if (pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://")) return pathOrUrl;
    String site = issuer.toString();
    return (site.endsWith("/") ? site.substring(0, site.length() - 1) : site) + pathOrUrl;
  }
}
