package io.gatehouse.sso.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.core.Exchange;
import io.gatehouse.core.LocalAnswer;
import io.gatehouse.core.LocalEndpoint;
import io.gatehouse.core.Reason;
import io.gatehouse.core.ResponseHeaders;
import io.gatehouse.core.Verdict;
import io.gatehouse.sso.session.Session;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code /_gatehouse/whoami}: the current session as JSON (subject, email, name, the groups that matter, MFA,
 * expiry), or 401 {@code unauthenticated}. Never the refresh token or the cookie.
 */
public final class WhoamiEndpoint implements LocalEndpoint {
  private static final JsonFactory JSON = new JsonFactory();

  private final SsoContext sso;
  private final SessionCheck sessions;

  public WhoamiEndpoint(SsoContext sso, SessionCheck sessions) {
    this.sso = sso;
    this.sessions = sessions;
  }

  @Override public Future<LocalAnswer> serve(Exchange exchange) {
    StringBuilder why = new StringBuilder();
    return sessions.check(exchange.request(), why).map(live -> {
      if (live.isEmpty()) {
        exchange.detail(why.toString());
        return new LocalAnswer.Refusal(new Verdict.Refuse(Reason.UNAUTHENTICATED));
      }
      Session session = live.get().session();
      ResponseHeaders headers = live.get().setCookie() == null ? ResponseHeaders.NONE
          : ResponseHeaders.of("Set-Cookie", live.get().setCookie());
      return LocalAnswer.Response.json(200, json(session), headers);
    });
  }

  private String json(Session session) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("subject", session.subject());
      json.writeStringField("email", session.email());
      json.writeStringField("name", session.name());
      json.writeArrayFieldStart("groups");
      for (String group : session.groups()) json.writeString(group);
      json.writeEndArray();
      json.writeBooleanField("mfa", session.mfa());
      json.writeStringField("expires_at", session.createdAt().plus(sso.config().session().maxLifetime()).toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
