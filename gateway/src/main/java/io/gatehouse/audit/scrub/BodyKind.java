package io.gatehouse.audit.scrub;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * How a body is scrubbed, from its content type: JSON ({@code application/json}, {@code application/*+json},
 * NDJSON), form ({@code application/x-www-form-urlencoded}), text ({@code text/*}, XML, JavaScript, GraphQL), or
 * not at all: multipart, binary and unknown types (and a missing type) are never read, only their size is kept.
 */
public enum BodyKind {
  JSON, FORM, TEXT, OMITTED;

  /** The kind for a {@code Content-Type} header value (null or blank for none). */
  public static BodyKind of(String contentType) {
    String type = mediaType(contentType);
    if (type.isEmpty()) return OMITTED;
    if (type.equals("application/json") || type.endsWith("+json") || type.equals("application/x-ndjson")
        || type.equals("application/ndjson") || type.equals("application/jsonl") || type.equals("text/json")) {
      return JSON;
    }
    if (type.equals("application/x-www-form-urlencoded")) return FORM;
    if (type.startsWith("text/") || type.equals("application/xml") || type.endsWith("+xml")
        || type.equals("application/javascript") || type.equals("application/graphql")
        || type.equals("application/x-yaml") || type.equals("application/yaml") || type.equals("application/csv")) {
      return TEXT;
    }
    return OMITTED;
  }

  /** The type and subtype in lower case, without parameters. */
  static String mediaType(String contentType) {
    if (contentType == null) return "";
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** The {@code charset} parameter's charset, UTF-8 when absent or unknown to this JVM. */
  static Charset charset(String contentType) {
    if (contentType == null) return StandardCharsets.UTF_8;
    String lower = contentType.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("charset=");
    if (at < 0) return StandardCharsets.UTF_8;
    int end = at + 8;
    while (end < lower.length() && lower.charAt(end) != ';' && lower.charAt(end) != ' ') end++;
    String name = lower.substring(at + 8, end).replace("\"", "");
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
