package io.gatehouse.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * One person's browser: a cookie jar per host, no automatic redirects, the gateway's dev CA trusted. The jar is
 * ours because Java's {@code CookieManager} never sends a {@code Secure} cookie over plain http, and the test
 * Keycloak on loopback http marks its login cookies Secure (a browser treats loopback as a secure context).
 */
final class LoginBrowser {
  private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
  /** Keycloak 26's one-time-code form ({@code login-otp.ftl}), asked for at level 2 of the test realm's flow. */
  private static final Pattern OTP_FORM = Pattern.compile("<form[^>]*id=\"kc-otp-login-form\"[^>]*action=\"([^\"]+)\"");
  /** The OTP credential the form preselects (the user's only one in the test realm). */
  private static final Pattern OTP_CREDENTIAL =
      Pattern.compile("<input[^>]*id=\"selectedCredentialId\"[^>]*value=\"([^\"]*)\"");

  private final Map<String, Map<String, String>> jar = new LinkedHashMap<>();
  private final HttpClient http;
  private final String publicUrl;

  LoginBrowser(SSLContext trust, String publicUrl) {
    this.publicUrl = publicUrl;
    this.http = HttpClient.newBuilder()
        .sslContext(trust)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.build();
    String host = built.uri().getHost();
    Map<String, String> cookies = jar.computeIfAbsent(host, h -> new LinkedHashMap<>());
    if (!cookies.isEmpty() && built.headers().firstValue("Cookie").isEmpty()) {
      request.header("Cookie", String.join("; ", cookies.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).toList()));
      built = request.build();
    }
    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).strip();
      String value = pair.substring(eq + 1).strip();
      if (value.isEmpty() || set.contains("Max-Age=0")) cookies.remove(name);
      else cookies.put(name, value);
    }
    return response;
  }

  HttpResponse<String> navigate(String url) throws Exception {
    return send(request(url).header("Sec-Fetch-Mode", "navigate").header("Accept", "text/html"));
  }

  /** Opens {@code url}, logs in on Keycloak's form, and returns the callback URL Keycloak sent the browser to. */
  String callbackAfterKeycloakLogin(String url, DemoUser user) throws Exception {
    HttpResponse<String> toIdp = navigate(url);
    assertThat(toIdp.statusCode()).as("sent to the IdP").isEqualTo(302);
    HttpResponse<String> form = send(request(toIdp.headers().firstValue("Location").orElseThrow()));
    assertThat(form.statusCode()).as("Keycloak's login page").isEqualTo(200);
    Matcher action = LOGIN_FORM.matcher(form.body());
    assertThat(action.find()).as("Keycloak's login form").isTrue();
    String post = action.group(1).replace("&amp;", "&");
    HttpResponse<String> loggedIn = send(request(post)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(user.username()) + "&password="
            + enc(user.password()) + "&credentialId=")));
    assertThat(loggedIn.statusCode()).as("Keycloak accepted the password: " + loggedIn.body()).isEqualTo(302);
    String callback = loggedIn.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(publicUrl + "/_gatehouse/oidc/callback?");
    return callback;
  }

  /** The whole login: the gateway's answer to the callback (302 back to the page, with the session cookie). */
  HttpResponse<String> logIn(String url, DemoUser user) throws Exception {
    HttpResponse<String> back = send(request(callbackAfterKeycloakLogin(url, user)));
    assertThat(back.statusCode()).as("callback: " + back.body()).isEqualTo(302);
    return back;
  }

  /** Whether {@code page} is Keycloak's username-and-password form. */
  static boolean isPasswordForm(String page) {
    return LOGIN_FORM.matcher(page).find();
  }

  /** Whether {@code page} is Keycloak's form asking for a one-time code. */
  static boolean isOtpForm(String page) {
    return OTP_FORM.matcher(page).find();
  }

  /**
   * Enters {@code code} on Keycloak's OTP form ({@code otpPage}, as Keycloak served it) and returns Keycloak's answer:
   * a 302 to the callback when it takes the code, its OTP form again (200) when it does not.
   */
  HttpResponse<String> submitOtp(HttpResponse<String> otpPage, String code) throws Exception {
    Matcher action = OTP_FORM.matcher(otpPage.body());
    assertThat(action.find()).as("Keycloak's OTP form").isTrue();
    Matcher credential = OTP_CREDENTIAL.matcher(otpPage.body());
    String credentialId = credential.find() ? credential.group(1) : "";
    return send(request(action.group(1).replace("&amp;", "&"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("otp=" + enc(code) + "&selectedCredentialId=" + enc(credentialId)
            + "&login=")));
  }

  Optional<String> cookie(String name) {
    return Optional.ofNullable(jar.getOrDefault("localhost", Map.of()).get(name));
  }

  String cookieHeader(String url) {
    return String.join("; ", jar.getOrDefault(URI.create(url).getHost(), Map.of()).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  /** A URL's query parameters, decoded (one value each: what an authorization request carries). */
  static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
