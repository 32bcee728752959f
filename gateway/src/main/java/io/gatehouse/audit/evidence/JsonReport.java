package io.gatehouse.audit.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The report model as JSON, field for field: snake_case names, times as RFC 3339 UTC, days as {@code yyyy-MM-dd},
 * absent values left out (as in the log itself).
 */
final class JsonReport implements ReportFormat.Renderer {
  private final ObjectMapper json = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule()
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(LocalDate.class, ToStringSerializer.instance));

  @Override
  public void render(EvidenceReport report, Writer out) throws IOException {
    json.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, report);
    out.write('\n');
  }
}
