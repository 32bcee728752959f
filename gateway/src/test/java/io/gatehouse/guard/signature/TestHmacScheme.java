package io.gatehouse.guard.signature;

import io.gatehouse.config.Secret;
import io.gatehouse.core.Reason;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A scheme for the guard's tests only, independent of the real sender schemes: {@code X-Test-Signature} is the hex
 * HMAC-SHA256 of the body, {@code X-Test-Id} the delivery id (the replay key).
 */
public final class TestHmacScheme implements SignatureScheme {
  public static final String SIGNATURE = "X-Test-Signature";
  public static final String ID = "X-Test-Id";

  @Override public Start begin(MultiMap headers, HmacKeys keys, Instant now, Duration tolerance) {
    List<String> signatures = headers.getAll(SIGNATURE);
    List<String> ids = headers.getAll(ID);
    if (signatures.isEmpty() || ids.isEmpty()) return new Start.Refused(Reason.SIGNATURE_MISSING, "header missing");
    if (signatures.size() > 1 || ids.size() > 1) return new Start.Refused(Reason.SIGNATURE_INVALID, "duplicated");
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(signatures.get(0));
    } catch (IllegalArgumentException e) {
      return new Start.Refused(Reason.SIGNATURE_INVALID, "not hex");
    }
    List<Mac> macs = keys.start(new byte[0]);
    String id = ids.get(0);
    return new Start.Started(new Verification() {
      @Override public void update(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        for (Mac mac : macs) mac.update(bytes);
      }

      @Override public boolean verify() {
        boolean ok = false;
        for (Mac mac : macs) ok |= MessageDigest.isEqual(mac.doFinal(), expected);
        return ok;
      }

      @Override public String replayKey() {
        return id;
      }
    });
  }

  @Override public Map<String, String> sign(byte[] body, Secret secret, String id, Instant timestamp) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SIGNATURE, HexFormat.of().formatHex(mac(secret).doFinal(body)));
    headers.put(ID, id);
    return headers;
  }

  private static Mac mac(Secret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
