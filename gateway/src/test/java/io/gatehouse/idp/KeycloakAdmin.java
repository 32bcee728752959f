package io.gatehouse.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keycloak's admin REST API for one realm, as the tests need it: cut a user off (disable and end every session:
 * disabling alone keeps sessions, Keycloak #37981), move users in and out of groups, list their sessions, and
 * point the {@code gatehouse} client at the gateway once the test knows its port.
 *
 * <p>The admin token comes from the master realm's {@code admin-cli} (password grant with the bootstrap admin);
 * it lives 60 s, so it is fetched again when less than 15 s remain. Neither the token nor the password ever
 * appears in an exception message.
 */
public final class KeycloakAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(15);

  /** One of a user's sessions as the admin API lists it. */
  public record UserSession(String id, String ipAddress, Instant started, Instant lastAccess, List<String> clients) {
    public UserSession {
      clients = List.copyOf(clients);
    }
  }

  private final URI baseUrl;
  private final String realm;
  private final String adminUsername;
  private final String adminPassword;
  private final HttpClient http;
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  /**
   * @param baseUrl Keycloak's root, e.g. {@code http://127.0.0.1:8080}
   * @param realm the realm the user and client calls address
   */
  public KeycloakAdmin(URI baseUrl, String realm, String adminUsername, String adminPassword) {
    this.baseUrl = baseUrl;
    this.realm = realm;
    this.adminUsername = adminUsername;
    this.adminPassword = adminPassword;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** The user's id (Keycloak's {@code sub} for them). */
  public String userId(String username) throws IOException, InterruptedException {
    JsonNode users = get("/users?exact=true&username=" + encode(username));
    for (JsonNode user : users) {
      if (username.equalsIgnoreCase(user.path("username").asText())) return user.path("id").asText();
    }
    throw new AssertionError("no user " + username + " in realm " + realm);
  }

  public void setEnabled(String username, boolean enabled) throws IOException, InterruptedException {
    send("PUT", "/users/" + userId(username), "{\"enabled\":" + enabled + "}", 204);
  }

  /** Marks the user's email verified or not (what the ID token's {@code email_verified} then says). */
  public void setEmailVerified(String username, boolean verified) throws IOException, InterruptedException {
    send("PUT", "/users/" + userId(username), "{\"emailVerified\":" + verified + "}", 204);
  }

  /** Ends all of the user's sessions (Keycloak sends back-channel logouts for them to clients that have a URL). */
  public void logout(String username) throws IOException, InterruptedException {
    send("POST", "/users/" + userId(username) + "/logout", null, 204);
  }

  /** Disables the user and ends their sessions: the way to cut someone off at the IdP. */
  public void cutOff(String username) throws IOException, InterruptedException {
    setEnabled(username, false);
    logout(username);
  }

  public void addToGroup(String username, String group) throws IOException, InterruptedException {
    send("PUT", "/users/" + userId(username) + "/groups/" + groupId(group), null, 204);
  }

  public void removeFromGroup(String username, String group) throws IOException, InterruptedException {
    send("DELETE", "/users/" + userId(username) + "/groups/" + groupId(group), null, 204);
  }

  /** The user's group names. */
  public List<String> groups(String username) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (JsonNode group : get("/users/" + userId(username) + "/groups")) names.add(group.path("name").asText());
    return names;
  }

  public List<UserSession> sessions(String username) throws IOException, InterruptedException {
    List<UserSession> sessions = new ArrayList<>();
    for (JsonNode session : get("/users/" + userId(username) + "/sessions")) {
      List<String> clients = new ArrayList<>();
      session.path("clients").elements().forEachRemaining(client -> clients.add(client.asText()));
      sessions.add(new UserSession(session.path("id").asText(), session.path("ipAddress").asText(),
          Instant.ofEpochMilli(session.path("start").asLong()), Instant.ofEpochMilli(session.path("lastAccess").asLong()),
          clients));
    }
    return sessions;
  }

  /**
   * Points a client at the gateway: its redirect URIs, post-logout redirect URIs and back-channel logout URL
   * (empty for none). The realm file has placeholders, since the gateway's port is only known at test time.
   */
  public void configureClient(String clientId, List<String> redirectUris, List<String> postLogoutRedirectUris,
      Optional<String> backchannelLogoutUrl) throws IOException, InterruptedException {
    String id = clientUuid(clientId);
    ObjectNode client = (ObjectNode) get("/clients/" + id);
    client.putArray("redirectUris").addAll(redirectUris.stream().map(JSON.getNodeFactory()::textNode).toList());
    ObjectNode attributes = client.has("attributes") ? (ObjectNode) client.get("attributes") : client.putObject("attributes");
    // Keycloak keeps several post-logout URIs in one attribute, separated by "##".
    attributes.put("post.logout.redirect.uris", String.join("##", postLogoutRedirectUris));
    attributes.put("backchannel.logout.url", backchannelLogoutUrl.orElse(""));
    send("PUT", "/clients/" + id, JSON.writeValueAsString(client), 204);
  }

  /** {@link #configureClient} for the realm's {@code gatehouse} client. */
  public void configureGatehouseClient(List<String> redirectUris, List<String> postLogoutRedirectUris,
      Optional<String> backchannelLogoutUrl) throws IOException, InterruptedException {
    configureClient(TestRealm.GATEHOUSE_CLIENT_ID, redirectUris, postLogoutRedirectUris, backchannelLogoutUrl);
  }

  /** The client's representation (redirect URIs, attributes, ...) as the admin API returns it; secrets included. */
  public JsonNode client(String clientId) throws IOException, InterruptedException {
    return get("/clients/" + clientUuid(clientId));
  }

  private String clientUuid(String clientId) throws IOException, InterruptedException {
    JsonNode clients = get("/clients?clientId=" + encode(clientId));
    if (clients.isEmpty()) throw new AssertionError("no client " + clientId + " in realm " + realm);
    return clients.get(0).path("id").asText();
  }

  private String groupId(String name) throws IOException, InterruptedException {
    for (JsonNode group : get("/groups?exact=true&search=" + encode(name))) {
      if (name.equals(group.path("name").asText())) return group.path("id").asText();
    }
    throw new AssertionError("no group " + name + " in realm " + realm);
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return JSON.readTree(send("GET", path, null, 200));
  }

  private String send(String method, String path, String json, int expected) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve("/admin/realms/" + realm + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token())
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) request.header("Content-Type", "application/json");
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new AssertionError(method + " /admin/realms/" + realm + path + ": expected " + expected + ", got "
          + response.statusCode() + " " + abbreviate(response.body()));
    }
    return response.body();
  }

  private synchronized String token() throws IOException, InterruptedException {
    if (token != null && Instant.now().isBefore(tokenExpires.minus(TOKEN_MARGIN))) return token;
    String form = "grant_type=password&client_id=admin-cli&username=" + encode(adminUsername)
        + "&password=" + encode(adminPassword);
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(baseUrl.resolve("/realms/master/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
      throw new AssertionError("admin token refused: " + response.statusCode() + " " + body.path("error").asText());
    }
    token = body.get("access_token").asText();
    tokenExpires = Instant.now().plusSeconds(body.path("expires_in").asLong(60));
    return token;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }
}
