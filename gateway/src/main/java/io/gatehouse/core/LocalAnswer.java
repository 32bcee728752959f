package io.gatehouse.core;

import java.nio.charset.StandardCharsets;

/** What a {@link LocalEndpoint} answers: a response of its own, or a refusal written like a guard's. */
public sealed interface LocalAnswer {
  /**
   * @param contentType null for an empty body
   */
  record Response(int status, ResponseHeaders headers, String contentType, byte[] body) implements LocalAnswer {
    public static Response json(int status, String json, ResponseHeaders headers) {
      return new Response(status, headers, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static Response html(int status, String html, ResponseHeaders headers) {
      return new Response(status, headers, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
  }

  record Refusal(Verdict.Refuse refusal) implements LocalAnswer {}
}
