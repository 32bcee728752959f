package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.tls.AuditKeyWriter;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code log_payloads} on a real gateway in front of a real upstream: bodies reach the upstream unchanged and come
 * back unchanged, while the audit log holds them scrubbed, in {@code payload} entries after the request's entry;
 * not one planted identifier is anywhere under {@code audit.dir} or in what the gateway logs; bodies that are never
 * read (multipart, compressed), cut ({@code max_payload}) or refused are logged as the docs say; the log verifies.
 */
class PayloadCaptureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What the bodies carry; none of it may reach the log. */
  private static final List<String> PLANTED = List.of("372-84-1956", "Okonkwo", "Marguerite", "1961-03-14",
      "m.okonkwo@example.org", "555-0142", "4111111111111111", "MRN-00482913", "10.20.30.40", "M-7741-2290");
  private static final String CLAIM = """
      {"claim_id":"CLM-20261202-0001","status":"received","amount":1250.75,
       "patient":{"full_name":"Marguerite Okonkwo","dob":"1961-03-14","ssn":"372-84-1956",
                  "email":"m.okonkwo@example.org","phone":"(617) 555-0142","member_id":"M-7741-2290"},
       "payment":{"card":"4111111111111111"},
       "history":[{"note":"Patient Marguerite Okonkwo (MRN-00482913) called from 617-555-0142, host 10.20.30.40"}]}
      """;
  private static final String ROUTES = """
      routes:
        - name: "denied"
          match: ["/echo-denied"]
          deny: "all"
        - name: "both"
          match: ["/echo"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          log_payloads: "both"
        - name: "request-only"
          match: ["/described"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          log_payloads: true
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
      """;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;
  private static LogCapture logs;
  private static Path keyDir;

  @BeforeAll static void start() throws Exception {
    logs = LogCapture.of("io.gatehouse");
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    keyDir = Files.createTempDirectory("gatehouse-capture-key");
    new AuditKeyWriter().write(keyDir.resolve("audit"));
    gateway = GatewayHarness.startWithConfig(GatewayHarness.configYaml(upstream.url(), ROUTES, "")
        + "  signing_key: \"" + keyDir.resolve("audit.key") + "\"\n"
        + "  checkpoint_every: \"200ms\"\n"
        + "  scrub: { keys: [\"member_id\"], max_payload: \"16KiB\" }\n");
  }

  @AfterAll static void stop() throws Exception {
    try {
      gateway.close();
      assertNothingPlantedInTheLogs();
    } finally {
      upstream.close();
      vertx.close().await();
      logs.close();
    }
  }

  enum Protocol { HTTP_1_1, HTTP_2 }

  @ParameterizedTest @EnumSource(Protocol.class)
  void bothBodiesPassUnchangedAndAreLoggedScrubbedAfterTheRequestEntry(Protocol protocol) throws Exception {
    HttpClient client = protocol == Protocol.HTTP_2 ? gateway.http() : gateway.http1();
    byte[] body = CLAIM.getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> response = client.send(post("/echo-body", "application/json; charset=utf-8", body),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).as("the upstream got the body as sent and answered it back").isEqualTo(body);
    String id = response.headers().firstValue("x-request-id").orElseThrow();

    List<JsonNode> payloads = payloadEntries(id, 2);
    JsonNode request = part(payloads, "request");
    JsonNode answer = part(payloads, "response");
    for (JsonNode entry : List.of(request, answer)) {
      assertThat(entry.get("route").asText()).isEqualTo("both");
      assertThat(entry.get("content_type").asText()).isEqualTo("application/json");
      assertThat(entry.get("size").asLong()).isEqualTo(body.length);
      assertThat(entry.get("pieces").asInt()).isEqualTo(1);
      assertThat(entry.has("truncated_at")).isFalse();
      JsonNode scrubbed = JSON.readTree(entry.get("scrubbed").asText());
      assertThat(scrubbed.get("claim_id").asText()).isEqualTo("CLM-20261202-0001");
      assertThat(scrubbed.get("status").asText()).isEqualTo("received");
      assertThat(scrubbed.at("/patient/ssn").asText()).isEqualTo("[REDACTED:SSN]");
      assertThat(scrubbed.at("/patient/member_id").asText()).isEqualTo("[REDACTED:KEY]");
      assertThat(scrubbed.at("/payment/card").asText()).startsWith("[REDACTED:");
      assertThat(entry.get("redactions").get("SSN").asInt()).isEqualTo(1);
      assertThat(entry.get("hmac").asText()).hasSize(64);
    }
    // The same bytes under the same key: the response is known to echo the request without either being stored.
    assertThat(answer.get("hmac")).isEqualTo(request.get("hmac"));
    JsonNode accessEntry = gateway.accessRecord(id);
    assertThat(request.get("seq").asLong()).as("payload entries follow their request entry")
        .isGreaterThan(accessEntry.get("seq").asLong());
  }

  @Test
  void aChunkedBodyIsScrubbedAcrossItsChunksAndARequestOnlyRouteLogsNoResponse() throws Exception {
    // The SSN and the name are split between chunks: the tap sees bytes, the scrubber the whole prefix.
    String json = "{\"ssn\":\"372-84-1956\",\"name\":\"Marguerite Okonkwo\",\"ok\":true}";
    int cut = json.indexOf("84-19");
    String first = json.substring(0, cut);
    String second = json.substring(cut);
    String request = "POST /described HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
        + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n";
    String reply = gateway.raw(request, Duration.ofSeconds(5));
    assertThat(reply).startsWith("HTTP/1.1 200");
    String id = header(reply, "x-request-id");
    JsonNode entry = part(payloadEntries(id, 1), "request");
    JsonNode scrubbed = JSON.readTree(entry.get("scrubbed").asText());
    assertThat(scrubbed.get("ssn").asText()).isEqualTo("[REDACTED:SSN]");
    assertThat(scrubbed.get("name").asText()).isEqualTo("[REDACTED:NAME]");
    assertThat(scrubbed.get("ok").asBoolean()).isTrue();
    assertThat(entry.get("size").asLong()).isEqualTo(json.length());
    awaitQuiet();
    assertThat(payloadsOf(id)).as("log_payloads: true is the request only").hasSize(1);
  }

  @Test
  void aBodyPastMaxPayloadKeepsItsScrubbedPrefixInPiecesAndItsWholeSizeAndHmac() throws Exception {
    StringBuilder json = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 800; i++) {
      json.append(i == 0 ? "" : ",").append("{\"seq\":").append(i)
          .append(",\"ssn\":\"372-84-1956\",\"code\":\"E11.9\"}");
    }
    byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    assertThat(body.length).isGreaterThan(16 * 1024);
    HttpResponse<byte[]> response = gateway.http1().send(post("/echo-body", "application/json", body),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.body()).isEqualTo(body);
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    List<JsonNode> request = payloadEntries(id, 2).stream()
        .filter(e -> e.get("part").asText().equals("request")).toList();
    awaitQuiet();
    request = payloadsOf(id).stream().filter(e -> e.get("part").asText().equals("request"))
        .sorted((a, b) -> Integer.compare(a.get("piece").asInt(), b.get("piece").asInt())).toList();
    int pieces = request.get(0).get("pieces").asInt();
    assertThat(pieces).as("16 KiB of scrubbed JSON in pieces of at most 4,096 characters").isGreaterThan(3);
    assertThat(request).hasSize(pieces);
    StringBuilder whole = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      JsonNode piece = request.get(i);
      assertThat(piece.get("piece").asInt()).isEqualTo(i);
      assertThat(piece.get("size").asLong()).isEqualTo(body.length);
      assertThat(piece.get("truncated_at").asLong()).isEqualTo(16 * 1024);
      assertThat(piece.get("scrubbed").asText().length()).isLessThanOrEqualTo(4096);
      whole.append(piece.get("scrubbed").asText());
    }
    assertThat(whole.toString()).startsWith("{\"records\":[{\"seq\":0,\"ssn\":\"[REDACTED:SSN]\",\"code\":\"E11.9\"}")
        .doesNotContain("372-84-1956");
  }

  @Test
  void multipartAndUnknownEncodingsAreLoggedBySizeTypeAndHmacOnlyGzipIsDecoded() throws Exception {
    byte[] multipart = ("--b\r\nContent-Disposition: form-data; name=\"ssn\"\r\n\r\n372-84-1956\r\n--b--\r\n")
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> form = gateway.http1().send(post("/echo-body", "multipart/form-data; boundary=b", multipart),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(form.body()).isEqualTo(multipart);
    JsonNode formEntry = part(payloadEntries(form.headers().firstValue("x-request-id").orElseThrow(), 2), "request");
    assertThat(formEntry.get("omitted").asText()).isEqualTo("type");
    assertThat(formEntry.get("content_type").asText()).isEqualTo("multipart/form-data");
    assertThat(formEntry.has("scrubbed")).isFalse();
    assertThat(formEntry.get("size").asLong()).isEqualTo(multipart.length);

    byte[] zipped = gzip(CLAIM.getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> echoed = gateway.http1().send(encoded("gzip", zipped),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(echoed.body()).isEqualTo(zipped);
    for (JsonNode entry : payloadEntries(echoed.headers().firstValue("x-request-id").orElseThrow(), 2)) {
      // gzip is decoded (bounded) on a scrubbing worker, and scrubbed like any JSON body.
      assertThat(entry.get("content_encoding").asText()).isEqualTo("gzip");
      assertThat(entry.get("size").asLong()).as("the bytes on the wire").isEqualTo(zipped.length);
      assertThat(JSON.readTree(entry.get("scrubbed").asText()).at("/patient/ssn").asText()).isEqualTo("[REDACTED:SSN]");
    }

    HttpResponse<byte[]> brotli = gateway.http1().send(encoded("br", new byte[] {1, 2, 3}),
        HttpResponse.BodyHandlers.ofByteArray());
    for (JsonNode entry : payloadEntries(brotli.headers().firstValue("x-request-id").orElseThrow(), 2)) {
      assertThat(entry.get("omitted").asText()).isEqualTo("encoding");
      assertThat(entry.get("content_encoding").asText()).isEqualTo("br");
      assertThat(entry.has("scrubbed")).isFalse();
    }
  }

  @Test
  void aCompressionBombIsDecodedNoFurtherThanMaxPayload() throws Exception {
    // 64 MiB of a JSON string in about 64 KiB of gzip: only max_payload (16 KiB here) of it is ever inflated.
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write("{\"notes\":\"".getBytes(StandardCharsets.US_ASCII));
      byte[] zeros = new byte[1 << 20];
      java.util.Arrays.fill(zeros, (byte) '0');
      for (int i = 0; i < 64; i++) gzip.write(zeros);
      gzip.write("\"}".getBytes(StandardCharsets.US_ASCII));
    }
    HttpResponse<byte[]> response = gateway.http1().send(encoded("gzip", zipped.toByteArray()),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    JsonNode first = payloadEntries(id, 2).stream().filter(e -> e.get("piece").asInt() == 0).findFirst().orElseThrow();
    assertThat(first.get("truncated_at").asLong()).isEqualTo(16 * 1024);
    assertThat(first.get("size").asLong()).isEqualTo(zipped.size());
  }

  private static byte[] gzip(byte[] bytes) throws java.io.IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(bytes);
    }
    return zipped.toByteArray();
  }

  private static HttpRequest encoded(String encoding, byte[] body) {
    return HttpRequest.newBuilder(java.net.URI.create(gateway.url("/echo-body")))
        .header("Content-Type", "application/json").header("Content-Encoding", encoding)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  @Test
  void aContentTypeParameterNeverReachesTheLog() throws Exception {
    HttpResponse<byte[]> response = gateway.http1().send(
        post("/echo-body", "application/json; patient=\"Marguerite Okonkwo\"",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
        HttpResponse.BodyHandlers.ofByteArray());
    JsonNode entry = part(payloadEntries(response.headers().firstValue("x-request-id").orElseThrow(), 2), "request");
    assertThat(entry.get("content_type").asText()).isEqualTo("application/json");
    assertThat(JSON.readTree(entry.get("scrubbed").asText()).get("a").asInt()).isEqualTo(1);
  }

  @Test
  void aRefusedRequestsBodyIsNotCaptured() throws Exception {
    HttpResponse<byte[]> refused = gateway.http1().send(
        post("/echo-denied", "application/json", CLAIM.getBytes(StandardCharsets.UTF_8)),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(refused.statusCode()).isEqualTo(403);
    String id = refused.headers().firstValue("x-request-id").orElseThrow();
    assertThat(gateway.accessRecord(id).get("decision").asText()).isEqualTo("refuse");
    awaitQuiet();
    assertThat(payloadsOf(id)).isEmpty();
  }

  @Test
  void theLogVerifiesAndTheMetricsCountWhatWasLogged() throws Exception {
    HttpResponse<byte[]> response = gateway.http1().send(post("/echo-body", "application/json",
        CLAIM.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofByteArray());
    payloadEntries(response.headers().firstValue("x-request-id").orElseThrow(), 2);
    String metrics = gateway.metrics();
    assertThat(MetricsText.value(metrics, "gatehouse_audit_payloads_total",
        java.util.Map.of("part", "request", "outcome", "scrubbed")))
        .isGreaterThanOrEqualTo(1);
    assertThat(MetricsText.value(metrics, "gatehouse_audit_payload_redactions_total",
        java.util.Map.of("type", "SSN")))
        .isGreaterThanOrEqualTo(2);
    awaitQuiet();
    Thread.sleep(500); // a checkpoint (every 200 ms) over what was written
    GatewayProcess.Result verified = GatewayProcess.cli(gateway.dir(), java.util.Map.of(), "verify-log", "--dir",
        gateway.dir().resolve("audit").toString(), "--public-key", keyDir.resolve("audit.pub").toString());
    assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
  }

  private static HttpRequest post(String path, String type, byte[] body) {
    return HttpRequest.newBuilder(java.net.URI.create(gateway.url(path))).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static String header(String reply, String name) {
    return reply.lines().filter(l -> l.toLowerCase().startsWith(name + ":")).findFirst().orElseThrow()
        .substring(name.length() + 1).trim();
  }

  private static JsonNode part(List<JsonNode> entries, String part) {
    return entries.stream().filter(e -> e.get("part").asText().equals(part)).findFirst().orElseThrow();
  }

  /** The payload entries of one request, waiting until there are at least {@code atLeast}. */
  private static List<JsonNode> payloadEntries(String requestId, int atLeast) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    GatewayHarness.awaitTrue(() -> {
      found.clear();
      found.addAll(payloadsOf(requestId));
      return found.size() >= atLeast;
    }, Duration.ofSeconds(10), atLeast + " payload entries of " + requestId);
    return List.copyOf(found);
  }

  private static List<JsonNode> payloadsOf(String requestId) {
    List<JsonNode> found = new ArrayList<>();
    try {
      LogEntries.forEach(gateway.dir().resolve("audit"), e -> {
        if ("payload".equals(e.path("kind").asText()) && requestId.equals(e.path("request_id").asText())) found.add(e);
      });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return found;
  }

  /** Until the scrubbing workers have nothing held: every body captured so far has its entries queued. */
  private static void awaitQuiet() throws Exception {
    GatewayHarness.awaitTrue(() -> {
      try {
        return MetricsText.value(gateway.metrics(), "gatehouse_audit_payload_bytes") == 0;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(10), "no captured body waiting to be scrubbed");
    Thread.sleep(100); // the audit writer's next batch
  }

  /** Every byte of every file under audit.dir (sealed segments decompressed), and every line the gateway logged. */
  private static void assertNothingPlantedInTheLogs() throws Exception {
    Path audit = gateway.dir().resolve("audit");
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(audit)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        texts.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    StringBuilder entries = new StringBuilder();
    LogEntries.forEach(audit, e -> entries.append(e).append('\n'));
    texts.add("decoded entries\n" + entries);
    texts.add("gateway log\n" + String.join("\n", logs.lines()));
    assertThat(entries.toString()).contains("\"kind\":\"payload\"");
    for (String text : texts) {
      for (String planted : PLANTED) {
        assertThat(text).as(text.lines().findFirst().orElse("") + " holds " + planted).doesNotContain(planted);
      }
    }
  }
}
