package io.gatehouse.idp;

import java.util.List;
import java.util.Optional;

/**
 * What {@code src/test/resources/keycloak/gatehouse-test-realm.json} holds, for tests to use by name. Keep the two
 * in step: {@code KeycloakInfrastructureIT} logs these users in and checks the clients' tokens.
 *
 * <ul>
 *   <li>{@code gatehouse}: the gateway's confidential client (standard flow only, PKCE S256 required, back-channel
 *       logout with session required, front-channel logout off); its redirect URIs, post-logout redirect URIs and
 *       back-channel logout URL are placeholders that a test sets once it knows its port
 *       ({@link KeycloakAdmin#configureGatehouseClient}). ID token, access token and userinfo carry {@code groups}
 *       (group names, not paths) and {@code amr}; {@code acr} follows {@link #ACR_LOA_MAP}.</li>
 *   <li>{@code api-client}: a confidential service-account client (client credentials only) whose access tokens
 *       are the API's: {@code aud} contains {@link #API_AUDIENCE}, {@code scope} contains {@link #API_SCOPE}.</li>
 *   <li>The browser flow asks for the password at level 1 and adds the OTP form at level 2, so an authorization
 *       request with {@code acr_values=}{@link #ACR_MFA} makes a user with OTP step up (only the OTP is asked
 *       when the browser already has a level-1 Keycloak session).</li>
 * </ul>
 *
 * <p>The file lists {@code clientScopes}: Keycloak 26.4.7's own defaults (copied from a fresh realm's export,
 * ids removed) plus {@code n8n:api}. A realm import that lists any client scope gets only the listed ones, so
 * leaving the defaults out would leave tokens without {@code email}, {@code acr}, roles and profile claims.
 * Keycloak keeps its default authentication flows next to the listed ones.
 */
public final class TestRealm {
  public static final String NAME = "gatehouse-test";
  /** The realm file on the test class path. */
  public static final String RESOURCE = "keycloak/gatehouse-test-realm.json";

  public static final String GATEHOUSE_CLIENT_ID = "gatehouse";
  public static final String GATEHOUSE_CLIENT_SECRET = "gatehouse-test-client-secret-7f3c9a1e5b2d4860";
  public static final String API_CLIENT_ID = "api-client";
  public static final String API_CLIENT_SECRET = "api-client-test-secret-2b8e6d4f0a9c1357";

  public static final String API_AUDIENCE = "n8n-api";
  public static final String API_SCOPE = "n8n:api";
  public static final String GROUP = "n8n-users";
  public static final String GROUPS_CLAIM = "groups";

  /** {@code acr} for a password login (level 1). */
  public static final String ACR_PASSWORD = "password";
  /** {@code acr} after password and OTP (level 2): ask for it with {@code acr_values}. */
  public static final String ACR_MFA = "mfa";
  /** The {@code gatehouse} client's {@code acr.loa.map} attribute, as JSON. */
  public static final String ACR_LOA_MAP = "{\"password\":1,\"mfa\":2}";
  /** {@code amr} values the login steps add (through each step's {@code default.reference.value}). */
  public static final String AMR_PASSWORD = "pwd";
  public static final String AMR_OTP = "otp";

  /** The redirect URI the realm file registers until a test sets the real one. */
  public static final String PLACEHOLDER_REDIRECT_URI = "https://127.0.0.1/*";

  /** In {@code n8n-users}. */
  public static final DemoUser ALICE = new DemoUser("alice", "alice-Test-Password-1", "alice@example.test",
      "Alice", "Archer", List.of(GROUP), Optional.empty());
  /** Not in any group: a valid login that group rules must refuse. */
  public static final DemoUser BOB = new DemoUser("bob", "bob-Test-Password-2", "bob@example.test",
      "Bob", "Baker", List.of(), Optional.empty());
  /** In {@code n8n-users}, with an OTP credential (for MFA and step-up). */
  public static final DemoUser CAROL = new DemoUser("carol", "carol-Test-Password-3", "carol@example.test",
      "Carol", "Carter", List.of(GROUP), Optional.of("gatehouse-carol-totp-secret-0042"));

  public static final List<DemoUser> USERS = List.of(ALICE, BOB, CAROL);

  private TestRealm() {}
}
