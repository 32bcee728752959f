package io.gatehouse.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who an authenticated request is from, as an authentication guard established it: an SSO session, a verified JWT,
 * or an API key's fingerprint. Only what rules, n8n and the audit log need: the subject is the stable key (the audit
 * log records it, never a display name), and groups are only those a rule of the config names.
 *
 * @param subject the IdP's {@code sub}, a JWT's subject, or a key fingerprint
 * @param email null when the credential carries none
 * @param name display name, for n8n's user record only; null when unknown
 * @param groups the groups among those the config's rules name that the person is in
 * @param mfa whether the IdP reported a second factor for this session
 * @param sessionId the gateway's session id (SSO), null otherwise
 * @param expiresAt when the credential stops being valid (session lifetime or token expiry), null when unbounded
 */
public record Identity(
    String subject, String email, String name, List<String> groups, boolean mfa, String sessionId,
    Instant expiresAt) {

  public Identity {
    if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("an identity needs a subject");
    groups = List.copyOf(groups);
  }

  /** An identity known only by its subject (an API key fingerprint, a token without profile claims). */
  public static Identity ofSubject(String subject) {
    return new Identity(subject, null, null, List.of(), false, null, null);
  }

  public Optional<String> emailIfKnown() {
    return Optional.ofNullable(email);
  }
}
