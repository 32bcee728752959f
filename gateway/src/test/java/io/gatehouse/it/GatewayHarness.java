package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.cli.RunningGateway;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigProblem;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.WebhookConfig;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.tls.DevCertificateWriter;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real gateway, started in-process from a YAML config over real TLS on 127.0.0.1:0, with development
 * certificates made for the test. Tests describe routes in YAML, as operators do.
 *
 * <pre>
 * try (var gw = GatewayHarness.start(upstream, ROUTES)) { gw.http().send(gw.get("/x"), ...); }
 * </pre>
 */
public final class GatewayHarness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Routes letting loopback reach {@code main}, with test webhooks denied: the shape of the dev config. */
  public static final String DEFAULT_ROUTES = """
      routes:
        - name: "test-webhooks"
          match: ["/webhook-test/", "/form-test/"]
          deny: "all"
        - name: "webhooks"
          match: ["/webhook/", "/webhook-waiting/", "/form/", "/form-waiting/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;

  /**
   * What a test may change in the {@code server:} lines the harness writes itself.
   *
   * @param listen the {@code listen} value, e.g. {@code "127.0.0.1:0"} or {@code "[::1]:0"}; port 0 unless
   *     the test needs to know the port before the gateway starts (a real n8n is told the public URL first)
   * @param timeouts the whole {@code timeouts} value, a YAML flow mapping
   * @param publicUrl the {@code public_url} value, sent to the upstream as {@code X-Forwarded-Host}/{@code -Proto}
   */
  public record Options(String listen, String timeouts, String publicUrl) {
    public static final Options DEFAULTS =
        new Options("127.0.0.1:0", "{ upstream_connect: \"2s\", upstream_response: \"10s\", drain: \"5s\" }",
            "https://localhost:8443");

    public Options withListen(String value) { return new Options(value, timeouts, publicUrl); }
    public Options withTimeouts(String value) { return new Options(listen, value, publicUrl); }
    public Options withPublicUrl(String value) { return new Options(listen, timeouts, value); }

    /** The address to connect to: the listen host without brackets. */
    String host() {
      String host = listen.substring(0, listen.lastIndexOf(':'));
      return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
  }

  private final Vertx vertx;
  private final Path dir;
  private final Path configFile;
  private final RunningGateway gateway;
  private final SSLContext trust;
  private final String host;

  private GatewayHarness(Vertx vertx, Path dir, Path configFile, RunningGateway gateway, SSLContext trust, String host) {
    this.vertx = vertx;
    this.dir = dir;
    this.configFile = configFile;
    this.gateway = gateway;
    this.trust = trust;
    this.host = host;
  }

  /** A gateway in front of {@code upstreamUrl} with {@link #DEFAULT_ROUTES}. */
  public static GatewayHarness start(String upstreamUrl) throws Exception {
    return start(upstreamUrl, DEFAULT_ROUTES, "");
  }

  /**
   * @param routes the {@code routes:} section (upstream pool {@code main} points at {@code upstreamUrl})
   * @param serverExtra extra keys indented under {@code server:} (e.g. {@code "  max_body: \"1KiB\"\n"})
   */
  public static GatewayHarness start(String upstreamUrl, String routes, String serverExtra) throws Exception {
    return start(upstreamUrl, routes, serverExtra, Options.DEFAULTS);
  }

  /** As {@link #start(String, String, String)}, with another listen address or timeouts. */
  public static GatewayHarness start(String upstreamUrl, String routes, String serverExtra, Options options)
      throws Exception {
    return start(upstreamUrl, routes, serverExtra, options, null);
  }

  /**
   * As {@link #start(String, String, String, Options)}, with the webhook signature schemes given by the test
   * ({@code null}: the gateway's own).
   */
  public static GatewayHarness start(String upstreamUrl, String routes, String serverExtra, Options options,
      Function<WebhookConfig, SignatureScheme> schemes) throws Exception {
    return startFromYaml(configYaml(upstreamUrl, routes, serverExtra, options), options.host(), schemes);
  }

  /**
   * A gateway from a whole config file of the test's own (see {@link GatewayConfigYaml}), for settings that
   * {@link #configYaml} fixes: timeouts, TLS options, several upstream targets. Paths in it are relative to the
   * harness directory, whose {@code certs/} holds the dev CA, server and {@code it-client} certificates.
   */
  public static GatewayHarness startWithConfig(String configYaml) throws Exception {
    return startFromYaml(configYaml, Options.DEFAULTS.host(), null);
  }

  private static GatewayHarness startFromYaml(String yaml, String host,
      Function<WebhookConfig, SignatureScheme> schemes) throws Exception {
    Path dir = Files.createTempDirectory("gatehouse-it");
    new DevCertificateWriter().writeServerAndClient(dir.resolve("certs"), "it-client");
    Path config = dir.resolve("gatehouse.yaml");
    Files.writeString(config, yaml);
    GatehouseConfig loaded = load(config);
    Vertx vertx = RunningGateway.newVertx();
    RunningGateway gateway = schemes == null
        ? RunningGateway.start(vertx, loaded).await()
        : RunningGateway.start(vertx, loaded, schemes).await();
    return new GatewayHarness(vertx, dir, config, gateway, trustingDevCa(dir.resolve("certs/ca.crt")), host);
  }

  /** The YAML a test gateway runs with. */
  public static String configYaml(String upstreamUrl, String routes, String serverExtra) {
    return configYaml(upstreamUrl, routes, serverExtra, Options.DEFAULTS);
  }

  /** The YAML a test gateway runs with, with another listen address or timeouts. */
  public static String configYaml(String upstreamUrl, String routes, String serverExtra, Options options) {
    return """
        server:
          listen: "%s"
          public_url: "%s"
          tls: { cert: "certs/server.crt", key: "certs/server.key" }
          timeouts: %s
        %s
        admin: { listen: "127.0.0.1:0" }
        upstreams:
          main: { urls: ["%s"] }
        %s
        audit:
          dir: "audit"
        """.formatted(options.listen(), options.publicUrl(), options.timeouts(), serverExtra, upstreamUrl, routes);
  }

  /** Loads a config file and fails the test on any error. */
  public static GatehouseConfig load(Path config) {
    var result = ConfigLoader.load(config, name -> null);
    assertThat(result.problems().stream().filter(ConfigProblem::isError).map(ConfigProblem::format))
        .as("config errors").isEmpty();
    return result.config().orElseThrow();
  }

  public RunningGateway gateway() { return gateway; }
  public Vertx vertx() { return vertx; }
  public Path dir() { return dir; }
  public Path configFile() { return configFile; }
  public int port() { return gateway.port(); }
  public int adminPort() { return gateway.adminPort(); }
  /** The address the gateway listens on, without brackets ({@code 127.0.0.1}, {@code ::1}). */
  public String host() { return host; }

  /** An https URL on the gateway; {@code localhost} for IPv4 loopback (as the dev certificate names it). */
  public String url(String pathAndQuery) {
    String authority = host.contains(":") ? "[" + host + "]" : "localhost";
    return "https://" + authority + ":" + port() + pathAndQuery;
  }
  public SSLContext sslContext() { return trust; }

  /** A JDK client trusting the dev CA; HTTP/2 when the server offers it. */
  public HttpClient http() {
    return HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A JDK client trusting the dev CA that speaks HTTP/1.1 only. */
  public HttpClient http1() {
    return HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Sends raw bytes over a fresh TLS connection (HTTP/1.1 via ALPN default) and returns everything the gateway
   * wrote back until it closed the connection or stayed silent for {@code quiet}.
   */
  public String raw(String request, Duration quiet) throws IOException {
    try (SSLSocket socket = connect()) {
      socket.setSoTimeout((int) quiet.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) response.write(buffer, 0, n);
      } catch (SocketTimeoutException | javax.net.ssl.SSLException quietOrClosed) {
        // Either is an end of the exchange for these tests; what arrived is what is asserted.
      }
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  /** A fresh TLS connection to the gateway, handshake done (HTTP/1.1: no ALPN offered), for byte-level tests. */
  public SSLSocket connect() throws IOException {
    SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(host, port());
    socket.startHandshake();
    return socket;
  }

  /** The audit log's request entries written so far, waiting until there are at least {@code atLeast}. */
  public List<JsonNode> accessLog(int atLeast) throws Exception {
    Path auditDir = dir.resolve("audit");
    List<JsonNode> records = new ArrayList<>();
    awaitTrue(() -> {
      records.clear();
      try {
        if (!Files.exists(auditDir)) return atLeast == 0;
        LogEntries.forEach(auditDir, e -> {
          if ("request".equals(e.path("kind").asText())) records.add(e);
        });
      } catch (IOException e) {
        return false;
      }
      return records.size() >= atLeast;
    }, Duration.ofSeconds(10), "at least " + atLeast + " access-log records");
    return List.copyOf(records);
  }

  /** The first audit entry of {@code kind} that {@code matches}, waiting for it. */
  public JsonNode auditEntry(String kind, java.util.function.Predicate<JsonNode> matches) throws Exception {
    JsonNode[] found = new JsonNode[1];
    awaitTrue(() -> {
      try {
        LogEntries.forEach(dir.resolve("audit"), e -> {
          if (found[0] == null && kind.equals(e.path("kind").asText()) && matches.test(e)) found[0] = e;
        });
      } catch (IOException e) {
        return false;
      }
      return found[0] != null;
    }, Duration.ofSeconds(10), "a " + kind + " audit entry");
    return found[0];
  }

  /** The access-log record for one request id. */
  public JsonNode accessRecord(String requestId) throws Exception {
    JsonNode[] found = new JsonNode[1];
    awaitTrue(() -> {
      try {
        for (JsonNode node : accessLog(0)) {
          if (requestId.equals(node.get("request_id").asText())) found[0] = node;
        }
      } catch (Exception e) {
        return false;
      }
      return found[0] != null;
    }, Duration.ofSeconds(10), "access record for " + requestId);
    return found[0];
  }

  /** The admin listener's /metrics text. */
  public String metrics() throws Exception {
    var response = HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + adminPort() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  /** Polls {@code condition} until true or fails the test after {@code timeout}. */
  public static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  static SSLContext trustingDevCa(Path caCert) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCert)) {
      X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      store.setCertificateEntry("dev-ca", ca);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** Headers as a case-insensitive map, for assertions. */
  public static Map<String, List<String>> lower(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    out.putAll(headers);
    return out;
  }

  @Override public void close() {
    gateway.stop(Duration.ofSeconds(2)).await();
    vertx.close().await();
  }
}
