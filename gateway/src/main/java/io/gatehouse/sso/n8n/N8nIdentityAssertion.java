package io.gatehouse.sso.n8n;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the identity assertion that Gatehouse adds to each request it forwards to n8n for a signed-in person, and
 * that n8n's Gatehouse hook ({@code n8n/gatehouse-hook.js}) verifies before making the request that n8n user's.
 *
 * <p>Format, shared with the hook's {@code n8n/gatehouse-assertion.js}: {@code v1.<payload>.<mac>}, the payload the
 * base64url (unpadded) UTF-8 JSON {@code {"iss":"gatehouse","aud":"n8n","sub","email","name"?,"mfa","iat","exp"}}
 * (seconds since the epoch), the mac the base64url (unpadded) HMAC-SHA256 of the ASCII {@code "v1." + payload}
 * keyed with the secret. An assertion lives at most {@link #MAX_TTL}: it rides on one request, and a copy that leaks
 * into a log is worthless within a minute.
 *
 * <p>Immutable and safe to share: each signature takes its own {@link Mac}.
 */
public final class N8nIdentityAssertion {
  /** The header the hook reads by default ({@code GATEHOUSE_HOOK_HEADER} changes it on n8n's side). */
  public static final String HEADER = "X-Gatehouse-Identity";
  /** The hook refuses a longer-lived assertion. */
  public static final Duration MAX_TTL = Duration.ofSeconds(60);
  /** The hook refuses to start with a shorter secret. */
  public static final int MIN_SECRET_BYTES = 32;

  private static final String VERSION_PREFIX = "v1.";
  private static final String ALGORITHM = "HmacSHA256";
  private static final JsonFactory JSON = new JsonFactory();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  /** {@code secret}: the bytes of the hook's {@code GATEHOUSE_HOOK_SECRET} (its UTF-8 encoding), at least 32. */
  public N8nIdentityAssertion(byte[] secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the n8n assertion secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /**
   * The header value asserting that {@code subject} (the IdP's {@code sub}) with {@code email} is making this
   * request, issued at {@code now} (truncated to the second) for {@code ttl} (whole seconds, 1 to 60).
   * {@code name} may be null (then omitted); {@code mfa} says whether the IdP session used a second factor.
   */
  public String sign(String subject, String email, String name, boolean mfa, Instant now, Duration ttl) {
    requireText(subject, "subject");
    requireText(email, "email");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.getSeconds() < 1 || ttl.compareTo(MAX_TTL) > 0 || ttl.getNano() != 0) {
      throw new IllegalArgumentException("ttl must be whole seconds from 1 to " + MAX_TTL.getSeconds() + ": " + ttl);
    }
    long issuedAt = now.getEpochSecond();
    String payload = BASE64URL.encodeToString(
        claims(subject, email, name, mfa, issuedAt, issuedAt + ttl.getSeconds()).getBytes(StandardCharsets.UTF_8));
    String signed = VERSION_PREFIX + payload;
    return signed + "." + BASE64URL.encodeToString(mac(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String claims(String subject, String email, String name, boolean mfa, long iat, long exp) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("iss", "gatehouse");
      json.writeStringField("aud", "n8n");
      json.writeStringField("sub", subject);
      json.writeStringField("email", email);
      if (name != null) json.writeStringField("name", name);
      json.writeBooleanField("mfa", mfa);
      json.writeNumberField("iat", iat);
      json.writeNumberField("exp", exp);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string", e);
    }
    return out.toString();
  }

  private byte[] mac(byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
  }
}
