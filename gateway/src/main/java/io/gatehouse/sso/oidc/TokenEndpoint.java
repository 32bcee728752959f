package io.gatehouse.sso.oidc;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The IdP's token endpoint: the authorization-code grant at login (with the PKCE verifier) and the refresh grant
 * at revalidation, authenticated with {@code client_secret_basic}.
 *
 * <p>Written on Vert.x's web client rather than vertx-auth-oauth2's {@code authenticate}/{@code refresh} because the
 * gateway must tell the IdP's refusal (the user disabled, the session ended: the session must end now) from the IdP
 * not answering (sessions carry on for {@code idp_down_grace}); the library folds both into one failure. Its answer
 * is read whole, capped at {@link #MAX_ANSWER_BYTES}.
 */
public final class TokenEndpoint {
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** What the IdP answered. */
  public sealed interface Answer {
    /** @param idToken null when the IdP sent none (refresh without openid) */
    record Tokens(String idToken, String accessToken, String refreshToken) implements Answer {}

    /** The IdP refused the grant: {@code error} is its OAuth error code (e.g. {@code invalid_grant}), never more. */
    record Refused(String error) implements Answer {}
  }

  /** The IdP could not be reached or answered with a server error. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String why) {
      super(why, null, false, false);
    }
  }

  private final WebClient client;
  private final String authorization;

  public TokenEndpoint(Vertx vertx, String clientId, String clientSecret) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) TIMEOUT.toMillis())
        .setFollowRedirects(false)
        .setUserAgent("gatehouse"));
    // RFC 6749 §2.3.1: both halves form-urlencoded before Basic.
    String pair = form(clientId) + ":" + form(clientSecret);
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  public Future<Answer> exchangeCode(URI tokenEndpoint, String code, String redirectUri, String codeVerifier) {
    return post(tokenEndpoint, MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "authorization_code")
        .add("code", code)
        .add("redirect_uri", redirectUri)
        .add("code_verifier", codeVerifier));
  }

  public Future<Answer> refresh(URI tokenEndpoint, String refreshToken) {
    return post(tokenEndpoint, MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "refresh_token")
        .add("refresh_token", refreshToken));
  }

  /** Ends the IdP session of a refresh token (Keycloak's logout endpoint takes it from a confidential client). */
  public Future<Void> endSession(URI endSessionEndpoint, String refreshToken) {
    return client.postAbs(endSessionEndpoint.toString())
        .timeout(TIMEOUT.toMillis())
        .putHeader("Authorization", authorization)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("refresh_token", refreshToken))
        .compose(response -> response.statusCode() < 500 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new Unavailable("end session answered " + response.statusCode())),
            failure -> Future.failedFuture(new Unavailable(failure.getClass().getSimpleName())));
  }

  private Future<Answer> post(URI tokenEndpoint, MultiMap form) {
    return client.postAbs(tokenEndpoint.toString())
        .timeout(TIMEOUT.toMillis())
        .putHeader("Authorization", authorization)
        .putHeader("Accept", "application/json")
        .sendForm(form)
        .transform(ar -> ar.failed()
            ? Future.failedFuture(new Unavailable(ar.cause().getClass().getSimpleName()))
            : read(ar.result()));
  }

  private static Future<Answer> read(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 500) return Future.failedFuture(new Unavailable("token endpoint answered " + status));
    Buffer body = response.body();
    if (body == null || body.length() > MAX_ANSWER_BYTES) {
      return Future.failedFuture(new Unavailable("token endpoint answer empty or too large"));
    }
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      return Future.failedFuture(new Unavailable("token endpoint answer is not JSON"));
    }
    if (status != 200) {
      String error = json.getValue("error") instanceof String code && code.matches("[a-z_]{1,64}") ? code : "refused";
      return Future.succeededFuture(new Answer.Refused(error));
    }
    String access = json.getValue("access_token") instanceof String a ? a : null;
    if (access == null) return Future.succeededFuture(new Answer.Refused("no_access_token"));
    return Future.succeededFuture(new Answer.Tokens(
        json.getValue("id_token") instanceof String id ? id : null, access,
        json.getValue("refresh_token") instanceof String r ? r : null));
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  public void close() {
    client.close();
  }
}
