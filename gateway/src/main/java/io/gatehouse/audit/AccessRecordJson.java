package io.gatehouse.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The on-disk form of an {@link AccessRecord}: one JSON object per line (JSON Lines), fields always in the same
 * order, absent values written as {@code null} rather than left out, so every line has the same shape for a SIEM
 * parser and for the hash chain that will cover these bytes.
 */
public final class AccessRecordJson {
  /** UTC, millisecond precision, always the same width: e.g. {@code 2026-11-23T09:15:02.120Z}. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private AccessRecordJson() {}

  /** Appends {@code record} as one line of UTF-8 JSON ending in {@code \n}. */
  public static void writeLine(AccessRecord record, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", TIME.format(record.time()));
      json.writeStringField("request_id", record.requestId());
      json.writeStringField("route", record.route());
      json.writeStringField("client_ip", record.clientIp());
      json.writeStringField("identity", record.identity());
      json.writeStringField("method", record.method());
      json.writeStringField("path", record.path());
      json.writeStringField("query", record.query());
      json.writeNumberField("status", record.status());
      json.writeNumberField("bytes_in", record.bytesIn());
      json.writeNumberField("bytes_out", record.bytesOut());
      json.writeNumberField("latency_us", record.latencyMicros());
      json.writeStringField("decision", record.decision().code());
      json.writeStringField("reason", record.reason().code());
      json.writeStringField("detail", record.detail());
      json.writeStringField("upstream", record.upstream());
      json.writeStringField("tls_client_subject", record.tlsClientSubject());
      json.writeStringField("replica", record.replica());
      json.writeEndObject();
    }
    out.write('\n');
  }

  /** The line for {@code record}, without the trailing newline. */
  public static String toJson(AccessRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      writeLine(record, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    String line = out.toString(StandardCharsets.UTF_8);
    return line.substring(0, line.length() - 1);
  }
}
