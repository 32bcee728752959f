package io.gatehouse.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The grants tests make at a realm's token endpoint with a confidential client (client_secret_post): client
 * credentials, authorization code with PKCE, refresh. Answers are returned whatever their status, so a test can
 * assert a refusal.
 */
public final class TokenEndpointClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A token endpoint answer. {@link #toString()} leaves the tokens out. */
  public record TokenResponse(int status, JsonNode body) {
    public boolean ok() {
      return status == 200 && body.hasNonNull("access_token");
    }

    public String accessToken() {
      return required("access_token");
    }

    public String idToken() {
      return required("id_token");
    }

    public String refreshToken() {
      return required("refresh_token");
    }

    /** The OAuth error code ({@code invalid_grant}, ...), or null. */
    public String error() {
      return body.hasNonNull("error") ? body.get("error").asText() : null;
    }

    private String required(String field) {
      if (!body.hasNonNull(field)) throw new AssertionError("token response has no " + field + ": " + this);
      return body.get(field).asText();
    }

    @Override
    public String toString() {
      return "TokenResponse[status=" + status + ", error=" + error() + ", error_description="
          + body.path("error_description").asText("") + "]";
    }
  }

  private final URI tokenEndpoint;
  private final String clientId;
  private final String clientSecret;
  private final HttpClient http;

  public TokenEndpointClient(URI tokenEndpoint, String clientId, String clientSecret) {
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public TokenResponse clientCredentials() throws IOException, InterruptedException {
    return post(Map.of("grant_type", "client_credentials"));
  }

  public TokenResponse authorizationCode(String code, String redirectUri, String codeVerifier)
      throws IOException, InterruptedException {
    return post(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri,
        "code_verifier", codeVerifier));
  }

  public TokenResponse refresh(String refreshToken) throws IOException, InterruptedException {
    return post(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
  }

  private TokenResponse post(Map<String, String> grant) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>(grant);
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenEndpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    return new TokenResponse(response.statusCode(), json);
  }
}
