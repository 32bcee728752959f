package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.log.LogEntries;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.GatewayProcess;
import io.gatehouse.it.LogCapture;
import io.gatehouse.it.MetricsText;
import io.gatehouse.tls.AuditKeyWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Payload capture in front of a real n8n ({@code log_payloads: both}): webhooks carrying planted PHI (JSON with
 * nested objects and arrays, free text, an operator's {@code audit.scrub.keys}; a form) reach n8n unchanged over
 * HTTP/1.1 and HTTP/2, and a workflow answers each with the body it received, so both directions carry the PHI.
 * The audit log holds both bodies scrubbed, with the counts per type; when the test class ends, not one planted
 * value is anywhere under {@code audit.dir} (raw bytes and decoded entries) or in what the gateway logged, and
 * {@code verify-log} accepts the log.
 *
 * <p>The workflow is this class's own, created and published through n8n's public API on the shared n8n.
 */
class N8nPayloadCaptureIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTE = "phi-webhooks";
  private static final String ROUTES = """
      routes:
        - name: "%s"
          match: ["/webhook/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          signature: "off"
          log_payloads: "both"
        - name: "editor"
          match: ["/"]
          upstream: "main"
          allow: ["127.0.0.0/8", "::1/128"]
          auth: "none"
      """.formatted(ROUTE);
  /** {@code case_ref} is no built-in PHI name and its value matches no detector: only the operator's key finds it. */
  private static final String SCRUB = "  scrub: { keys: [\"member_id\", \"case_ref\"] }\n";

  /**
   * A claims-intake delivery; {@code %s} is the claim id. ICD-10 and CPT codes, amounts, an epoch time, a currency
   * and a relation are not PHI and must survive. The address object is redacted whole (a PHI name holds it), its
   * state too. Its ZIP is not searched for in the log's bytes: any five digits turn up by chance in hashes.
   */
  private static final String CLAIM = """
      {"claim_id":"%s","received_at":1764672000,"status":"received",
       "patient":{"first_name":"Marguerite","last_name":"Okonkwo","dob":"1961-03-14","ssn":"372-84-1956",
                  "email":"m.okonkwo@example.org","phone":"(617) 555-0142","member_id":"M-7741-2290",
                  "address":{"street":"41 Larkspur Lane","city":"Framingham","zip":"01701","state":"MA"}},
       "payment":{"card_number":"4111111111111111","amount":1250.75,"currency":"USD"},
       "case_ref":"ZQ88213KX",
       "diagnoses":[{"icd10":"E11.9","cpt":"99213"},{"icd10":"I10","cpt":"93000"}],
       "contacts":[{"relation":"spouse","full_name":"Dariusz Wójcik","phone":"617-555-0199"}],
       "notes":[{"author":"intake","text":"Patient Marguerite Okonkwo (MRN 00482913, DOB 03/14/1961) called from 617-555-0142; reply to m.okonkwo@example.org."}]}
      """;
  /** What {@link #CLAIM} holds in each redacted place, and so what its payload entries must not. */
  private static final Map<String, String> CLAIM_REDACTED = orderedPairs(
      "/patient/first_name", "[REDACTED:NAME]",
      "/patient/last_name", "[REDACTED:NAME]",
      "/patient/dob", "[REDACTED:DATE]",
      "/patient/ssn", "[REDACTED:SSN]",
      "/patient/email", "[REDACTED:EMAIL]",
      "/patient/phone", "[REDACTED:PHONE]",
      "/patient/member_id", "[REDACTED:KEY]",
      "/patient/address", "[REDACTED:ADDRESS]", // a PHI name's object goes whole, state and all
      "/payment/card_number", "[REDACTED:CARD]",
      "/case_ref", "[REDACTED:KEY]",
      "/contacts/0/full_name", "[REDACTED:NAME]",
      "/contacts/0/phone", "[REDACTED:PHONE]",
      "/notes/0/text", "Patient [REDACTED:NAME] (MRN [REDACTED:MRN], DOB [REDACTED:DATE]) called from "
          + "[REDACTED:PHONE]; reply to [REDACTED:EMAIL].");
  private static final Map<String, String> CLAIM_KEPT = orderedPairs(
      "/received_at", "1764672000",
      "/status", "received",
      "/payment/amount", "1250.75",
      "/payment/currency", "USD",
      "/diagnoses/0/icd10", "E11.9",
      "/diagnoses/0/cpt", "99213",
      "/diagnoses/1/icd10", "I10",
      "/diagnoses/1/cpt", "93000",
      "/contacts/0/relation", "spouse",
      "/notes/0/author", "intake");
  private static final Map<String, Integer> CLAIM_COUNTS = Map.of("NAME", 4, "DATE", 2, "SSN", 1, "EMAIL", 2,
      "PHONE", 3, "KEY", 2, "ADDRESS", 1, "CARD", 1, "MRN", 1);

  /** A form post; the claim id is added by {@link #formBody}. */
  private static final Map<String, String> FORM = orderedPairs(
      "first_name", "Marguerite",
      "last_name", "Okonkwo",
      "dob", "1961-03-14",
      "ssn", "372-84-1956",
      "phone", "(617) 555-0142",
      "email", "m.okonkwo@example.org",
      "member_id", "M-7741-2290",
      "case_ref", "ZQ88213KX",
      "note", "Patient Marguerite Okonkwo, MRN 00482913, paid with card 4111111111111111",
      "amount", "1250.75",
      "icd10", "E11.9");
  private static final Map<String, String> FORM_SCRUBBED = orderedPairs(
      "first_name", "[REDACTED:NAME]",
      "last_name", "[REDACTED:NAME]",
      "dob", "[REDACTED:DATE]",
      "ssn", "[REDACTED:SSN]",
      "phone", "[REDACTED:PHONE]",
      "email", "[REDACTED:EMAIL]",
      "member_id", "[REDACTED:KEY]",
      "case_ref", "[REDACTED:KEY]",
      "note", "Patient [REDACTED:NAME], MRN [REDACTED:MRN], paid with card [REDACTED:CARD]",
      "amount", "1250.75",
      "icd10", "E11.9");
  private static final Map<String, Integer> FORM_COUNTS = Map.of("NAME", 3, "DATE", 1, "SSN", 1, "PHONE", 1,
      "EMAIL", 1, "KEY", 2, "MRN", 1, "CARD", 1);

  /** Every planted value; none may reach the log, as sent, percent-encoded or JSON-escaped. */
  private static final List<String> PLANTED = List.of("Marguerite", "Okonkwo", "1961-03-14", "03/14/1961",
      "372-84-1956", "m.okonkwo@example.org", "555-0142", "555-0199", "M-7741-2290", "Larkspur", "Framingham",
      "4111111111111111", "00482913", "ZQ88213KX", "Dariusz", "Wójcik");

  private static LogCapture logs;
  private static Path keyDir;
  private static N8nServer n8n;
  private static GatewayHarness gateway;
  private static String apiKey;
  private static String webhook;

  @BeforeAll
  static void start() throws Exception {
    logs = LogCapture.of("io.gatehouse");
    n8n = N8nServer.shared();
    n8n.start(); // no-op when running; a class that stopped it must not leave it down for this one
    keyDir = Files.createTempDirectory("gatehouse-e2e-capture-key");
    new AuditKeyWriter().write(keyDir.resolve("audit"));
    GatewayHarness.Options options = GatewayHarness.Options.DEFAULTS
        .withListen("127.0.0.1:" + n8n.gatewayPort())
        .withPublicUrl(n8n.publicUrl())
        .withTimeouts("{ upstream_connect: \"2s\", upstream_response: \"30s\", drain: \"2s\" }");
    gateway = GatewayHarness.startWithConfig(GatewayHarness.configYaml(n8n.baseUrl(), ROUTES, "", options)
        + "  signing_key: \"" + keyDir.resolve("audit.key") + "\"\n"
        + "  checkpoint_every: \"200ms\"\n"
        + SCRUB);
    apiKey = N8nGateway.createApiKey(gateway, N8nGateway.session(gateway, n8n), List.of("workflow:create",
        "workflow:read", "workflow:activate", "execution:list", "execution:read"));
    webhook = "/webhook/" + publishEchoWorkflow();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (gateway == null) return;
      gateway.close(); // the scrubbing workers finish and the log is closed: everything it will ever hold is there
      assertNothingPlantedInTheLogs();
      GatewayProcess.Result verified = GatewayProcess.cli(gateway.dir(), Map.of(), "verify-log", "--dir",
          gateway.dir().resolve("audit").toString(), "--public-key", keyDir.resolve("audit.pub").toString());
      assertThat(verified.exitCode()).as(verified.stdout() + verified.stderr()).isZero();
    } finally {
      if (logs != null) logs.close();
    }
  }

  enum Protocol { HTTP_1_1, HTTP_2 }

  @ParameterizedTest @EnumSource(Protocol.class)
  void aJsonDeliveryReachesN8nUnchangedAndBothBodiesAreLoggedScrubbed(Protocol protocol) throws Exception {
    String claim = claimId(protocol, "json");
    byte[] body = compact(CLAIM.formatted(claim));

    HttpResponse<byte[]> response = deliver(protocol, "application/json", body, Map.of());

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version(protocol));
    // The JDK client sends no Accept-Encoding, so n8n answers uncompressed.
    assertThat(response.headers().firstValue("content-encoding")).isEmpty();
    assertThat(response.body()).as("n8n's echo of what it received, byte for byte").isEqualTo(body);
    assertThat(webhookBody(claim)).as("the body in n8n's execution").isEqualTo(JSON.readTree(body));

    String id = requestId(response);
    List<JsonNode> entries = payloadEntries(id, 2);
    JsonNode request = part(entries, "request");
    JsonNode answer = part(entries, "response");
    for (JsonNode entry : List.of(request, answer)) {
      assertSummary(entry, "application/json", body.length);
      JsonNode scrubbed = JSON.readTree(entry.get("scrubbed").asText());
      assertThat(scrubbed.get("claim_id").asText()).isEqualTo(claim);
      CLAIM_REDACTED.forEach((pointer, expected) ->
          assertThat(scrubbed.at(pointer).asText()).as(entry.get("part") + " " + pointer).isEqualTo(expected));
      CLAIM_KEPT.forEach((pointer, expected) ->
          assertThat(scrubbed.at(pointer).asText()).as(entry.get("part") + " " + pointer).isEqualTo(expected));
      assertThat(counts(entry)).as(entry.get("part") + " redactions").isEqualTo(CLAIM_COUNTS);
    }
    // n8n answered the very bytes it was sent: the same HMAC, and neither body stored.
    assertThat(answer.get("hmac")).isEqualTo(request.get("hmac"));
    assertThat(request.get("seq").asLong()).as("payload entries follow their request entry")
        .isGreaterThan(gateway.accessRecord(id).get("seq").asLong());
  }

  @ParameterizedTest @EnumSource(Protocol.class)
  void aFormDeliveryReachesN8nUnchangedAndIsLoggedScrubbedPairByPair(Protocol protocol) throws Exception {
    String claim = claimId(protocol, "form");
    Map<String, String> fields = new LinkedHashMap<>(Map.of("claim_id", claim));
    fields.putAll(FORM);
    byte[] body = formBody(fields).getBytes(StandardCharsets.US_ASCII);

    HttpResponse<byte[]> response = deliver(protocol, "application/x-www-form-urlencoded", body, Map.of());

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version(protocol));
    // n8n parses the form into an object of strings, one per pair, and the workflow answers it as JSON.
    JsonNode received = JSON.valueToTree(fields);
    assertThat(JSON.readTree(response.body())).as("n8n's echo of the form").isEqualTo(received);
    assertThat(webhookBody(claim)).as("the form in n8n's execution").isEqualTo(received);

    String id = requestId(response);
    List<JsonNode> entries = payloadEntries(id, 2);
    JsonNode request = part(entries, "request");
    assertSummary(request, "application/x-www-form-urlencoded", body.length);
    Map<String, String> scrubbedPairs = new LinkedHashMap<>(Map.of("claim_id", claim));
    scrubbedPairs.putAll(FORM_SCRUBBED);
    // Written back percent-encoded but for what the markers need (and these values need no other escape).
    assertThat(request.get("scrubbed").asText()).isEqualTo(scrubbedPairs.entrySet().stream()
        .map(f -> f.getKey() + "=" + f.getValue().replace(' ', '+')).collect(Collectors.joining("&")));
    assertThat(counts(request)).as("request redactions").isEqualTo(FORM_COUNTS);

    JsonNode answer = part(entries, "response");
    assertSummary(answer, "application/json", response.body().length);
    assertThat(JSON.readTree(answer.get("scrubbed").asText())).isEqualTo(JSON.valueToTree(scrubbedPairs));
    assertThat(counts(answer)).as("response redactions").isEqualTo(FORM_COUNTS);
  }

  @Test
  void anAnswerN8nCompressesIsDecodedAndScrubbedLikeTheRequest() throws Exception {
    String claim = claimId(Protocol.HTTP_1_1, "gzip");
    // n8n's compression middleware leaves answers under 1 KiB as they are: the claim gets billing lines (no PHI).
    ObjectNode json = (ObjectNode) JSON.readTree(CLAIM.formatted(claim));
    for (int i = 0; i < 20; i++) {
      json.withArray("lines").addObject().put("cpt", "99213").put("units", 1).put("charge", 125.5);
    }
    byte[] body = JSON.writeValueAsBytes(json);
    assertThat(body.length).isGreaterThan(1024);

    HttpResponse<byte[]> response = deliver(Protocol.HTTP_1_1, "application/json", body,
        Map.of("Accept-Encoding", "gzip"));

    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
    try (GZIPInputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      assertThat(gunzip.readAllBytes()).as("n8n's echo, once decompressed").isEqualTo(body);
    }
    List<JsonNode> entries = payloadEntries(requestId(response), 2);
    JsonNode request = part(entries, "request");
    assertSummary(request, "application/json", body.length);
    assertThat(counts(request)).isEqualTo(CLAIM_COUNTS);
    JsonNode answer = part(entries, "response");
    // Decoded on a scrubbing worker (bounded by max_payload), so the compressed answer is scrubbed like the request.
    assertThat(answer.has("omitted")).isFalse();
    assertThat(answer.get("content_encoding").asText()).isEqualTo("gzip");
    assertThat(answer.get("size").asLong()).as("the bytes on the wire").isEqualTo(response.body().length);
    assertThat(answer.get("hmac").asText()).hasSize(64);
    assertThat(answer.has("truncated_at")).isFalse();
    assertThat(JSON.readTree(answer.get("scrubbed").asText()))
        .isEqualTo(JSON.readTree(request.get("scrubbed").asText()));
    assertThat(counts(answer)).isEqualTo(CLAIM_COUNTS);
  }

  /** Creates and publishes the echo workflow on a path of its own; returns the path under {@code /webhook/}. */
  private static String publishEchoWorkflow() throws Exception {
    String path = "phi-echo-" + UUID.randomUUID().toString().substring(0, 8);
    // The webhook answers with what it received, re-serialized by n8n: compact JSON comes back byte for byte.
    String workflow = """
        {"name":"Gatehouse e2e PHI echo %s","settings":{"executionOrder":"v1"},
         "nodes":[
          {"id":"%s","name":"Delivery","type":"n8n-nodes-base.webhook","typeVersion":2,"position":[0,0],
           "webhookId":"%s","parameters":{"httpMethod":"POST","path":"%s","responseMode":"responseNode","options":{}}},
          {"id":"%s","name":"Echo","type":"n8n-nodes-base.respondToWebhook","typeVersion":1.1,"position":[240,0],
           "parameters":{"respondWith":"json","responseBody":"={{ JSON.stringify($json.body) }}","options":{}}}],
         "connections":{"Delivery":{"main":[[{"node":"Echo","type":"main","index":0}]]}}}
        """.formatted(path, UUID.randomUUID(), UUID.randomUUID(), path, UUID.randomUUID());
    HttpResponse<String> created = publicApi("/api/v1/workflows", workflow);
    assertThat(created.statusCode()).as("create workflow: %s", created.body()).isEqualTo(200);
    String id = JSON.readTree(created.body()).path("id").asText();
    assertThat(id).as("workflow id in %s", created.body()).isNotBlank();
    HttpResponse<String> published = publicApi("/api/v1/workflows/" + id + "/publish", "{}");
    assertThat(published.statusCode()).as("publish workflow: %s", published.body()).isEqualTo(200);
    awaitRegistered(path);
    return path;
  }

  private static HttpResponse<String> publicApi(String path, String json) throws Exception {
    return N8nServer.directClient().send(HttpRequest.newBuilder(URI.create(n8n.baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .header("X-N8N-API-KEY", apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As {@code N8nServer} waits for the example webhook: a CORS preflight is 204 once n8n has registered it. */
  private static void awaitRegistered(String path) throws InterruptedException {
    HttpClient client = N8nServer.directClient();
    HttpRequest preflight = HttpRequest.newBuilder(URI.create(n8n.baseUrl() + "/webhook/" + path))
        .timeout(Duration.ofSeconds(2))
        .header("Origin", "http://127.0.0.1")
        .header("Access-Control-Request-Method", "POST")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .build();
    GatewayHarness.awaitTrue(() -> {
      try {
        return client.send(preflight, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, Duration.ofSeconds(20), "n8n to register /webhook/" + path);
  }

  private static HttpResponse<byte[]> deliver(Protocol protocol, String contentType, byte[] body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(webhook)))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpClient client = protocol == Protocol.HTTP_2 ? gateway.http() : gateway.http1();
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpClient.Version version(Protocol protocol) {
    return protocol == Protocol.HTTP_2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
  }

  /** The body n8n's webhook node put out in the one execution whose data holds {@code claim}. */
  private static JsonNode webhookBody(String claim) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    GatewayHarness.awaitTrue(() -> {
      found.clear();
      try {
        N8nGateway.executions(n8n, apiKey, true).stream().filter(e -> e.toString().contains(claim))
            .forEach(found::add);
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return !found.isEmpty();
    }, Duration.ofSeconds(10), "n8n's execution of " + claim);
    assertThat(found).as("executions of " + claim).hasSize(1);
    JsonNode body = found.get(0).at("/data/resultData/runData/Delivery/0/data/main/0/0/json/body");
    assertThat(body.isMissingNode()).as("the webhook node's output in %s", found.get(0)).isFalse();
    return body;
  }

  /** What every payload entry of this route's bodies says about the whole body. */
  private static void assertSummary(JsonNode entry, String contentType, long size) {
    assertThat(entry.get("route").asText()).isEqualTo(ROUTE);
    assertThat(entry.get("content_type").asText()).isEqualTo(contentType);
    assertThat(entry.get("size").asLong()).isEqualTo(size);
    assertThat(entry.get("pieces").asInt()).isEqualTo(1);
    assertThat(entry.get("hmac").asText()).hasSize(64);
    assertThat(entry.has("truncated_at")).isFalse();
    assertThat(entry.has("omitted")).as("omitted: %s", entry.path("omitted")).isFalse();
    assertThat(entry.has("malformed")).isFalse();
  }

  private static Map<String, Integer> counts(JsonNode entry) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    entry.path("redactions").fields().forEachRemaining(f -> counts.put(f.getKey(), f.getValue().asInt()));
    return counts;
  }

  private static JsonNode part(List<JsonNode> entries, String part) {
    List<JsonNode> matching = entries.stream().filter(e -> e.get("part").asText().equals(part)).toList();
    assertThat(matching).as("%s payload entries in %s", part, entries).hasSize(1);
    return matching.get(0);
  }

  /** The payload entries of one request, waiting until there are at least {@code atLeast}. */
  private static List<JsonNode> payloadEntries(String requestId, int atLeast) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    GatewayHarness.awaitTrue(() -> {
      found.clear();
      found.addAll(payloadsOf(requestId));
      return found.size() >= atLeast;
    }, Duration.ofSeconds(10), atLeast + " payload entries of " + requestId);
    awaitQuiet();
    return payloadsOf(requestId);
  }

  private static List<JsonNode> payloadsOf(String requestId) {
    List<JsonNode> found = new ArrayList<>();
    try {
      LogEntries.forEach(gateway.dir().resolve("audit"), e -> {
        if ("payload".equals(e.path("kind").asText()) && requestId.equals(e.path("request_id").asText())) found.add(e);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Until the scrubbing workers hold nothing: every body captured so far has its entries queued. */
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

  /**
   * Every byte of every file under audit.dir, every decoded entry, and every line the gateway logged, searched for
   * each planted value as sent, percent-encoded (a form's) and with non-ASCII JSON-escaped.
   */
  private static void assertNothingPlantedInTheLogs() throws Exception {
    Path audit = gateway.dir().resolve("audit");
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.walk(audit)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        // Bytes as Latin-1 characters, one each: a UTF-8 value is searched as its bytes.
        texts.add(file + "\n" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    StringBuilder entries = new StringBuilder();
    LogEntries.forEach(audit, e -> entries.append(e).append('\n'));
    assertThat(entries.toString()).contains("\"kind\":\"payload\"").contains("[REDACTED:");
    texts.add("decoded entries\n" + entries);
    List<String> lines = logs.lines();
    assertThat(lines).as("the gateway's log was captured").anyMatch(line -> line.startsWith("listening on"));
    texts.add("gateway log\n" + String.join("\n", lines));
    Set<String> forbidden = new LinkedHashSet<>();
    for (String planted : PLANTED) {
      forbidden.add(planted);
      forbidden.add(new String(planted.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
      forbidden.add(URLEncoder.encode(planted, StandardCharsets.UTF_8));
      forbidden.add(jsonEscaped(planted, "%04x"));
      forbidden.add(jsonEscaped(planted, "%04X"));
    }
    for (String text : texts) {
      String where = text.lines().findFirst().orElse("");
      for (String value : forbidden) {
        assertThat(text).as(where + " holds " + value).doesNotContain(value);
      }
    }
  }

  /** Non-ASCII as JSON's backslash escapes, the hex digits as {@code format} writes them. */
  private static String jsonEscaped(String value, String format) {
    return value.chars().mapToObj(c -> c < 0x80 ? String.valueOf((char) c) : "\\" + "u" + String.format(format, c))
        .collect(Collectors.joining());
  }

  private static String formBody(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static byte[] compact(String json) throws IOException {
    return JSON.writeValueAsBytes(JSON.readTree(json));
  }

  private static String claimId(Protocol protocol, String what) {
    return "CLM-" + protocol.name().toLowerCase().replace('_', '-') + "-" + what + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** A map in the order given: name, value, name, value. */
  private static Map<String, String> orderedPairs(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
    return Collections.unmodifiableMap(map);
  }
}
