package io.gatehouse.audit.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.canonical.CanonicalJson;
import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyslogMessageFormatterTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-02T03:04:05.678Z"), ZoneOffset.UTC);
  private static final String ORIGIN = "gatehouse.example.com/audit/replica-1";

  private final SyslogMessageFormatter formatter = new SyslogMessageFormatter("replica-1", ORIGIN, CLOCK);

  @Test
  void formatsAnAllowedRequestAsAuditNoticeWithItsOwnTimeAndTheLineAsMessage() {
    byte[] line = TestEntries.line(7);
    byte[] leaf = TestEntries.leafHash(line);

    String message = text(formatter.entry(7, line, leaf));

    assertThat(message).isEqualTo("<109>1 2026-12-01T09:15:02.120Z replica-1 gatehouse - entry [gatehouse@32473"
        + " seq=\"7\" leaf=\"" + Base64.getEncoder().encodeToString(leaf) + "\" origin=\"" + ORIGIN + "\"] "
        + new String(line, StandardCharsets.UTF_8));
  }

  @Test
  void sendsRefusedRequestsAndRefusedEventsAsWarnings() {
    assertThat(pri(TestEntries.line(9))).as("decision refuse").isEqualTo(13 * 8 + 4);
    assertThat(pri(TestEntries.line(entry().put("kind", "sso").put("event", "login_refused"))))
        .as("sso login_refused").isEqualTo(13 * 8 + 4);
    assertThat(pri(TestEntries.line(entry().put("kind", "sso").put("event", "login")))).isEqualTo(13 * 8 + 5);
    assertThat(pri(TestEntries.line(entry().put("kind", "start")))).isEqualTo(13 * 8 + 5);
  }

  @Test
  void readsOnlyTopLevelMembersOfTheEntry() {
    ObjectNode entry = JsonNodeFactory.instance.objectNode().put("seq", 1);
    entry.putObject("a_nested").put("decision", "refuse").put("time", "1999-01-01T00:00:00Z");
    entry.put("detail", "\",\"decision\":\"refuse\",\"time\":\"1999-01-01T00:00:00Z");
    entry.put("decision", "allow").put("time", TestEntries.TIME);

    SyslogMessage message = SyslogMessage.parse(formatter.entry(1, TestEntries.line(entry), new byte[32]));

    assertThat(message.severity()).isEqualTo(SyslogMessageFormatter.NOTICE);
    assertThat(message.timestamp()).isEqualTo(TestEntries.TIME);
  }

  @Test
  void usesTheTimeOfFormattingWhenTheEntryHasNoRfc5424Time() {
    for (ObjectNode entry : new ObjectNode[] {entry().without("time"), entry().put("time", "2026-12-01 09:15:02Z"),
        entry().put("time", "2026-12-01T09:15:02.1234567Z"), entry().put("time", 5)}) {
      assertThat(SyslogMessage.parse(formatter.entry(1, TestEntries.line(entry), new byte[32])).timestamp())
          .as(entry.toString()).isEqualTo("2027-01-02T03:04:05.678Z");
    }
  }

  @Test
  void keepsAnEntryTimeWithoutFractionOrWithUpToSixFractionDigits() {
    for (String time : new String[] {"2026-12-01T09:15:02Z", "2026-12-01T09:15:02.1Z", "2026-12-01T09:15:02.123456Z"}) {
      assertThat(SyslogMessage.parse(formatter.entry(1, TestEntries.line(entry().put("time", time)), new byte[32]))
          .timestamp()).isEqualTo(time);
    }
  }

  @Test
  void formatsACheckpointAsInfoWithSizeRootAndItsSegmentLine() {
    byte[] root = new byte[32];
    Arrays.fill(root, (byte) 0x5a);
    String note = new NoteSigner(ORIGIN, new byte[32]).sign(new Checkpoint(ORIGIN, 1234, root).body()
        + "time 2026-12-01T09:15:03.000Z\n");

    byte[] bytes = formatter.checkpoint(note);
    SyslogMessage message = SyslogMessage.parse(bytes);

    assertThat(message.pri()).isEqualTo(13 * 8 + 6);
    assertThat(message.timestamp()).isEqualTo("2027-01-02T03:04:05.678Z");
    assertThat(message.msgId()).isEqualTo("checkpoint");
    assertThat(message.params()).containsExactly(Map.entry("origin", ORIGIN),
        Map.entry("size", "1234"), Map.entry("root", Base64.getEncoder().encodeToString(root)));
    assertThat(message.msg()).isEqualTo(CanonicalJson.encode(JsonNodeFactory.instance.objectNode()
        .put("checkpoint", note)));
    assertThat(bytes).doesNotContain((byte) '\n');
  }

  @Test
  void formatsAnUnsignedOrUnreadableCheckpointWithoutSizeAndRoot() {
    String unsigned = new Checkpoint(ORIGIN, 3, new byte[32]).body();
    assertThat(SyslogMessage.parse(formatter.checkpoint(unsigned)).params()).containsKeys("size", "root");
    assertThat(SyslogMessage.parse(formatter.checkpoint("not\na checkpoint\n")).params()).containsOnlyKeys("origin");
  }

  @Test
  void escapesQuoteBackslashBracketAndEveryControlCharacterInParameterValues() {
    String origin = "a\"b\\c]d\u0000e\ne\r\u001b\u007f\u0085\u2028f\u00e9";
    SyslogMessageFormatter odd = new SyslogMessageFormatter("r", origin, CLOCK);

    byte[] bytes = odd.entry(1, TestEntries.line(1), new byte[32]);

    assertThat(text(bytes)).contains("origin=\"a\\\"b\\\\c\\]d\\u0000e\\u000ae\\u000d\\u001b\\u007f\\u0085\\u2028f"
        + "\u00e9\"");
    assertNoControlCharacters(bytes);
    assertThat(SyslogMessage.parse(bytes).params().get("origin"))
        .isEqualTo("a\"b\\c]d\\u0000e\\u000ae\\u000d\\u001b\\u007f\\u0085\\u2028f\u00e9");
  }

  @Test
  void replacesWhatAHostnameCannotHoldWithUnderscoresAndCutsItAt255() {
    assertThat(SyslogMessage.parse(new SyslogMessageFormatter("rep lica\n\u00e9]", ORIGIN, CLOCK)
        .entry(1, TestEntries.line(1), new byte[32])).hostname()).isEqualTo("rep_lica__]");
    assertThat(SyslogMessage.parse(new SyslogMessageFormatter("", ORIGIN, CLOCK)
        .entry(1, TestEntries.line(1), new byte[32])).hostname()).isEqualTo("-");
    assertThat(SyslogMessage.parse(new SyslogMessageFormatter("x".repeat(300), ORIGIN, CLOCK)
        .entry(1, TestEntries.line(1), new byte[32])).hostname()).hasSize(255);
  }

  @Test
  void cutsAnEntryLongerThan8192OctetsAtACharacterBoundaryAndMarksIt() {
    byte[] line = TestEntries.line(entry().put("detail", "\u00e9\u20ac".repeat(4_000)));
    byte[] leaf = TestEntries.leafHash(line);

    byte[] bytes = formatter.entry(42, line, leaf);
    SyslogMessage message = SyslogMessage.parse(bytes); // strict UTF-8: no sequence was cut in two

    assertThat(bytes.length).isLessThanOrEqualTo(8192).isGreaterThan(8180);
    assertThat(message.params()).containsEntry("seq", "42")
        .containsEntry("leaf", Base64.getEncoder().encodeToString(leaf))
        .containsEntry("cut", Integer.toString(line.length));
    assertThat(line).startsWith(message.msg());
  }

  @Test
  void sendsAMessageOfExactly8192OctetsWhole() {
    byte[] probe = formatter.entry(1, TestEntries.line(entry().put("detail", "")), new byte[32]);
    byte[] line = TestEntries.line(entry().put("detail", "x".repeat(8192 - probe.length)));
    byte[] longer = TestEntries.line(entry().put("detail", "x".repeat(8193 - probe.length)));

    assertThat(formatter.entry(1, line, new byte[32])).hasSize(8192);
    assertThat(SyslogMessage.parse(formatter.entry(1, line, new byte[32])).params()).doesNotContainKey("cut");
    assertThat(SyslogMessage.parse(formatter.entry(1, longer, new byte[32])).params()).containsKey("cut");
  }

  @Test
  void escapesRawControlBytesEvenInAMalformedLine() {
    byte[] line = "{\"seq\":1,\"detail\":\"a\nb\rc\u007f\"}".getBytes(StandardCharsets.UTF_8);

    byte[] bytes = formatter.entry(1, line, new byte[32]);

    assertNoControlCharacters(bytes);
    assertThat(SyslogMessage.parse(bytes).msgText()).isEqualTo("{\"seq\":1,\"detail\":\"a\\u000ab\\u000dc\\u007f\"}");
  }

  @Test
  void doesNotKeepTheCallersArrays() {
    byte[] line = TestEntries.line(3);
    byte[] copy = line.clone();
    byte[] bytes = formatter.entry(3, line, new byte[32]);
    Arrays.fill(line, (byte) 'x');
    assertThat(SyslogMessage.parse(bytes).msg()).isEqualTo(copy);
  }

  private int pri(byte[] line) {
    return SyslogMessage.parse(formatter.entry(1, line, new byte[32])).pri();
  }

  private static ObjectNode entry() {
    return TestEntries.request(1);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void assertNoControlCharacters(byte[] bytes) {
    String text = text(bytes);
    assertThat(text.chars().filter(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029))
        .as("control characters in %s", text).isEmpty();
  }
}
