package io.gatehouse.sso.web;

import io.gatehouse.http.ClientRequest;

/**
 * Whether a request without a session is a person's browser opening a page (sent to the IdP to log in) or anything
 * else (an XHR, a {@code /rest/} call, a WebSocket handshake, a script: 401 JSON, never a redirect, which a script
 * would follow into the IdP's login page and report as a confusing 200).
 */
public final class BrowserNavigation {
  private BrowserNavigation() {}

  public static boolean isNavigation(ClientRequest request, String normalizedPath) {
    String method = request.method().name();
    if (!method.equals("GET") && !method.equals("HEAD")) return false;
    if (request.isWebSocketHandshake()) return false;
    if (normalizedPath.regionMatches(true, 0, "/rest/", 0, 6) || normalizedPath.equalsIgnoreCase("/rest")) return false;
    String mode = request.headers().get("Sec-Fetch-Mode");
    if (mode != null) return mode.equalsIgnoreCase("navigate");
    if (request.headers().get("X-Requested-With") != null) return false;
    String accept = request.headers().get("Accept");
    return accept != null && accept.contains("text/html");
  }
}
