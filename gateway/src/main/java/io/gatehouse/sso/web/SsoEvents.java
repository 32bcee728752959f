package io.gatehouse.sso.web;

/**
 * What SSO reports for metrics ({@code gatehouse_sso_events_total{event,outcome}}), so the SSO code does not depend
 * on the metrics library. Both labels are fixed words: the events below, and {@code ok} or a refusal's short code.
 * What happened to whom goes to the access log (the exchange's identity and detail), never to a label.
 */
public interface SsoEvents {
  String LOGIN = "login";
  String LOGOUT = "logout";
  String BACKCHANNEL_LOGOUT = "backchannel_logout";
  String REVALIDATION = "revalidation";
  /** {@code sent} to the IdP for MFA, back {@code ok} with it or {@code no_mfa} without it. */
  String STEP_UP = "step_up";
  /** A revocation told to the other replicas (revocations: redis), or not: store_unavailable. */
  String REVOCATION_SHARED = "revocation_shared";
  /** n8n's password login through a route's break_glass: login (let through) or refused (not a listed account). */
  String BREAK_GLASS = "break_glass";

  void ssoEvent(String event, String outcome);

  SsoEvents NONE = (event, outcome) -> { };
}
