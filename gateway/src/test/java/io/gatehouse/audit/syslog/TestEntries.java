package io.gatehouse.audit.syslog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.canonical.CanonicalJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Audit entry lines as the log writes them: canonical JSON, with their RFC 6962 leaf hashes. */
final class TestEntries {
  static final String TIME = "2026-12-01T09:15:02.120Z";

  private TestEntries() {}

  /** A request entry; every tenth one is a refusal. */
  static ObjectNode request(long seq) {
    boolean refused = seq % 10 == 9;
    return JsonNodeFactory.instance.objectNode()
        .put("seq", seq)
        .put("prev", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .put("kind", "request")
        .put("time", TIME)
        .put("replica", "replica-1")
        .put("config", "0123456789abcdef")
        .put("request_id", "req-" + seq)
        .put("method", "GET")
        .put("path", "/rest/workflows/" + seq)
        .put("decision", refused ? "refuse" : "allow")
        .put("reason", refused ? "source_not_allowed" : "none")
        .put("status", refused ? 403 : 200);
  }

  static byte[] line(long seq) {
    return CanonicalJson.encode(request(seq));
  }

  static byte[] line(ObjectNode entry) {
    return CanonicalJson.encode(entry);
  }

  static byte[] leafHash(byte[] line) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update((byte) 0);
      return sha256.digest(line);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
