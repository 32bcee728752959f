package io.gatehouse.sso.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.sso.jwt.VerifiedJwt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Gatehouse takes from a verified ID token (OIDC Core §3.1.3.7): the person, the groups the config's rules name,
 * and whether a second factor was used. The caller has verified signature, issuer and times ({@code JwtVerifier});
 * this checks the rest: {@code aud} contains our client id (and {@code azp} is ours when there are several),
 * {@code nonce} is the login's, and {@code sub} and {@code email} are present and the email not marked unverified
 * (n8n users are found by email).
 */
public record IdTokenClaims(
    String subject, String email, String name, List<String> groups, boolean mfa, String acr, String sid) {

  /**
   * RFC 8176 methods that are a factor beyond a password. Keycloak reports {@code otp} for its OTP form; an IdP
   * may also say {@code mfa} outright. Not {@code user} (a presence test, no second factor) nor {@code pwd}.
   */
  private static final Set<String> SECOND_FACTORS =
      Set.of("mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "retina", "vbm", "sc");

  /** Why an ID token was not taken, for the audit detail. */
  public static final class Rejected extends RuntimeException {
    Rejected(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * @param expectedNonce the login's nonce; null on a refresh, whose ID token need not repeat it
   * @param relevantGroups the groups some route's {@code require_groups} names: only these are kept
   * @param mfaAcr the {@code acr} that counts as MFA ({@code sso.mfa_acr}); a higher number too, when numeric
   */
  public static IdTokenClaims from(VerifiedJwt token, String clientId, String expectedNonce, String groupsClaim,
      Set<String> relevantGroups, String mfaAcr) {
    List<String> audiences = token.audiences();
    if (!audiences.contains(clientId)) throw new Rejected("id token not issued for this client");
    String azp = token.text("azp");
    if (audiences.size() > 1 && !clientId.equals(azp)) throw new Rejected("id token azp is not this client");
    if (expectedNonce != null) {
      String nonce = token.text("nonce");
      if (nonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
          expectedNonce.getBytes(StandardCharsets.UTF_8))) {
        throw new Rejected("id token nonce does not match the login");
      }
    }
    String subject = token.subject();
    if (subject == null || subject.isEmpty()) throw new Rejected("id token without sub");
    String email = token.text("email");
    if (email == null || email.isBlank()) throw new Rejected("id token without email (n8n users are found by it)");
    // n8n users are found by email: an address the IdP says it has not verified could be anyone's (self-service
    // sign-up, a changed profile), and would open that n8n account. Absent is accepted: not every IdP sends it.
    JsonNode verified = token.claim("email_verified");
    if (verified != null && !(verified.isBoolean() && verified.booleanValue())) {
      throw new Rejected("id token email not verified at the IdP");
    }
    String name = Optional.ofNullable(token.text("name")).orElseGet(() -> join(token.text("given_name"), token.text("family_name")));
    List<String> groups = new ArrayList<>();
    JsonNode listed = token.claim(groupsClaim);
    if (listed != null && listed.isArray()) {
      for (JsonNode group : listed) {
        // Keycloak's full.path mapper writes "/n8n-users"; either spelling names the same group.
        String g = group.isTextual() ? group.textValue() : null;
        if (g == null) continue;
        String bare = g.startsWith("/") ? g.substring(1) : g;
        if (relevantGroups.contains(bare) && !groups.contains(bare)) groups.add(bare);
      }
    }
    String acr = token.text("acr");
    return new IdTokenClaims(subject, email, name, List.copyOf(groups), usedSecondFactor(token, acr, mfaAcr), acr,
        token.text("sid"));
  }

  private static boolean usedSecondFactor(VerifiedJwt token, String acr, String mfaAcr) {
    JsonNode amr = token.claim("amr");
    if (amr != null && amr.isArray()) {
      for (JsonNode method : amr) if (method.isTextual() && SECOND_FACTORS.contains(method.textValue())) return true;
    }
    if (acr == null) return false;
    if (acr.equals(mfaAcr)) return true;
    return acr.matches("\\d{1,3}") && mfaAcr.matches("\\d{1,3}") && Integer.parseInt(acr) >= Integer.parseInt(mfaAcr);
  }

  private static String join(String given, String family) {
    if (given == null && family == null) return null;
    if (given == null) return family;
    return family == null ? given : given + " " + family;
  }
}
