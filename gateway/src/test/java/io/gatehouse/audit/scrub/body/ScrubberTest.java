package io.gatehouse.audit.scrub.body;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.scrub.BodyKind;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.ScrubStream;
import io.gatehouse.audit.scrub.Scrubber;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final String JSON = "{\"executionId\":\"981\",\"patient\":{\"name\":[{\"family\":\"Smith\","
      + "\"given\":[\"Ann\"]}],\"birthDate\":\"1970-01-02\",\"member_id\":\"M-1\",\"gender\":\"female\"},"
      + "\"notes\":\"SSN 123-45-6789\",\"claim_status\":\"approved for Ann Smith\",\"total\":12.5,\"ok\":true}";

  private final Scrubber scrubber = new Scrubber(new ScrubPolicy(List.of("member_id"), List.of("claim_status"),
      ScrubPolicy.DEFAULT_MAX_PAYLOAD, KEY));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void redactsFieldsWholeAndValuesInPlaceAndKeepsTheRestAsValidJson() throws Exception {
    ScrubResult result = scrubber.scrub("application/json; charset=utf-8", utf8(JSON));

    assertThat(result.scrubbedText()).isEqualTo("{\"executionId\":\"981\",\"patient\":{\"name\":\"[REDACTED:NAME]\","
        + "\"birthDate\":\"[REDACTED:DATE]\",\"member_id\":\"[REDACTED:KEY]\",\"gender\":\"female\"},"
        + "\"notes\":\"SSN [REDACTED:SSN]\",\"claim_status\":\"approved for Ann Smith\",\"total\":12.5,\"ok\":true}");
    assertThat(result.counts()).containsOnly(java.util.Map.entry(PhiType.NAME, 1), java.util.Map.entry(PhiType.DATE, 1),
        java.util.Map.entry(PhiType.KEY, 1), java.util.Map.entry(PhiType.SSN, 1));
    assertThat(result.kind()).isEqualTo(BodyKind.JSON);
    assertThat(result.originalSize()).isEqualTo(utf8(JSON).length);
    assertThat(result.truncated()).isFalse();
    assertThat(result.malformed()).isFalse();
    new ObjectMapper().readTree(result.scrubbed());
  }

  @Test
  void givesTheSameResultWhateverTheChunksAre() {
    byte[] body = utf8(JSON);
    ScrubResult whole = scrubber.scrub("application/json", body);
    for (int chunk : new int[] {1, 3, 7, 64}) {
      ScrubStream stream = scrubber.open("application/json");
      for (int i = 0; i < body.length; i += chunk) stream.write(body, i, Math.min(chunk, body.length - i));
      ScrubResult result = stream.finish();
      assertThat(result.scrubbedText()).as("chunk %d", chunk).isEqualTo(whole.scrubbedText());
      assertThat(result.hmac()).isEqualTo(whole.hmac());
    }
  }

  @Test
  void keepsBodiesOpenAtOnceOnOneThreadApart() {
    String other = "{\"notes\":\"call 617-555-0123\",\"list\":[true,null,\"x\"]}";
    ScrubResult first = scrubber.scrub("application/json", utf8(JSON));
    ScrubResult second = scrubber.scrub("application/json", utf8(other));
    ScrubStream a = scrubber.open("application/json");
    ScrubStream b = scrubber.open("application/json");
    byte[] one = utf8(JSON);
    byte[] two = utf8(other);
    for (int i = 0; i < Math.max(one.length, two.length); i += 5) {
      if (i < one.length) a.write(one, i, Math.min(5, one.length - i));
      if (i < two.length) b.write(two, i, Math.min(5, two.length - i));
    }
    ScrubResult secondInterleaved = b.finish();
    ScrubResult firstInterleaved = a.finish();

    assertThat(firstInterleaved.scrubbedText()).isEqualTo(first.scrubbedText());
    assertThat(secondInterleaved.scrubbedText()).isEqualTo(second.scrubbedText())
        .isEqualTo("{\"notes\":\"call [REDACTED:PHONE]\",\"list\":[true,null,\"x\"]}");
    assertThat(scrubber.scrub("application/json", utf8(JSON)).scrubbedText()).isEqualTo(first.scrubbedText());
  }

  @Test
  void givesThreadsSharingOneScrubberTheResultsOfOne() throws Exception {
    List<byte[]> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add(utf8(JSON.replace("981", Integer.toString(i)) + (i % 3 == 0 ? "" : " {\"n\":\"SSN 123-45-6789 x" + i + "\"}")));
    }
    List<String> expected = bodies.stream().map(b -> scrubber.scrub("application/json", b).scrubbedText()).toList();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int round = 0; round < 200; round++) {
            for (int i = 0; i < bodies.size(); i++) {
              if (!scrubber.scrub("application/json", bodies.get(i)).scrubbedText().equals(expected.get(i))) return false;
            }
          }
          return true;
        }));
      }
      for (java.util.concurrent.Future<Boolean> run : runs) assertThat(run.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysTheHmacOverTheRawBodyNeverAPlainHash() throws Exception {
    byte[] body = utf8(JSON);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] other = KEY.clone();
    other[0] ^= 1;
    ScrubResult result = scrubber.scrub("application/json", body);
    ScrubResult otherKey = new Scrubber(new ScrubPolicy(List.of(), List.of(), 64, other)).scrub("text/plain", body);

    assertThat(result.hmac()).isEqualTo(mac.doFinal(body));
    assertThat(otherKey.hmac()).isNotEqualTo(result.hmac());
    assertThat(result.hmac()).isNotEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(body));
  }

  @Test
  void cutsAtMaxPayloadKeepingOnlyAScrubbedValidPrefix() throws Exception {
    Scrubber small = new Scrubber(new ScrubPolicy(List.of(), List.of(), 60, KEY));
    String body = "{\"notes\":\"ok\",\"list\":[1,2,3],\"more\":\"SSN 123-45-6789 and a long tail\"}";
    ScrubResult result = small.scrub("application/json", utf8(body));

    assertThat(result.truncated()).isTrue();
    assertThat(result.malformed()).isFalse();
    assertThat(result.originalSize()).isEqualTo(body.length());
    assertThat(result.scrubbedText()).isEqualTo("{\"notes\":\"ok\",\"list\":[1,2,3],\"more\":null}");
    new ObjectMapper().readTree(result.scrubbed());
  }

  @Test
  void marksInvalidJsonMalformedAndNeverEchoesWhatDidNotParse() throws Exception {
    ScrubResult result = scrubber.scrub("application/json", utf8("{\"a\":[1,{\"b\":\"x\"}, 123-45-6789 oops}"));

    assertThat(result.malformed()).isTrue();
    assertThat(result.scrubbedText()).isEqualTo("{\"a\":[1,{\"b\":\"x\"}]}").doesNotContain("6789");
    new ObjectMapper().readTree(result.scrubbed());
  }

  @Test
  void redactsAllowedSubtreesOnlyWhereAnOperatorKeyIs() {
    ScrubResult result = scrubber.scrub("application/json",
        utf8("{\"claim_status\":{\"ssn\":\"123-45-6789\",\"member_id\":\"x\"}}"));

    assertThat(result.scrubbedText()).isEqualTo("{\"claim_status\":{\"ssn\":\"123-45-6789\",\"member_id\":\"[REDACTED:KEY]\"}}");
  }

  @Test
  void scrubsFormsByKeyAndValueAndStaysReadable() {
    ScrubResult result = scrubber.scrub("application/x-www-form-urlencoded",
        utf8("first_name=Ann&patient%5Bdob%5D=1970-01-02&note=call+617-555-0123&page=2"));

    assertThat(result.scrubbedText())
        .isEqualTo("first_name=[REDACTED:NAME]&patient[dob]=[REDACTED:DATE]&note=call+[REDACTED:PHONE]&page=2");
  }

  @Test
  void scrubsTextAndDropsTheWordACutSplit() {
    Scrubber small = new Scrubber(new ScrubPolicy(List.of(), List.of(), 15, KEY));
    ScrubResult result = small.scrub("text/plain; charset=ISO-8859-1", utf8("SSN is 123-45-6789 ok"));

    assertThat(result.truncated()).isTrue();
    assertThat(result.scrubbedText()).isEqualTo("SSN is ");
  }

  @Test
  void neverReadsMultipartBinaryOrUntypedBodies() {
    for (String type : new String[] {"multipart/form-data; boundary=x", "application/octet-stream", "image/png",
        null, "application/pdf"}) {
      ScrubResult result = scrubber.scrub(type, utf8("SSN 123-45-6789"));
      assertThat(result.kind()).as(type).isEqualTo(BodyKind.OMITTED);
      assertThat(result.scrubbed()).isEmpty();
      assertThat(result.originalSize()).isEqualTo(15);
    }
  }

  @Test
  void refusesAShortHmacKey() {
    byte[] shortKey = Arrays.copyOf(KEY, 8);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScrubPolicy(List.of(), List.of(), 10, shortKey))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new ScrubPolicy(List.of(), List.of(), 10, KEY).toString()).doesNotContain("0123456789abcdef");
  }
}
