package io.gatehouse.audit.syslog;

import static io.gatehouse.audit.syslog.TestCollector.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.audit.note.Checkpoint;
import io.gatehouse.audit.note.NoteSigner;
import io.gatehouse.config.AuditConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.tls.TlsMaterialException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogForwarderTest {
  private static final String ORIGIN = "gatehouse.test/audit/replica-1";
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Short waits between attempts, so the tests that take the collector away finish quickly. */
  private static final SyslogOptions FAST = SyslogOptions.DEFAULTS
      .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
      .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
      .withCloseGrace(Duration.ofSeconds(1));

  @TempDir Path tmp;

  private SyslogTestPki pki;
  private SSLContext collectorTls;
  private final CountingEvents events = new CountingEvents();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void pki() throws Exception {
    pki = SyslogTestPki.create(tmp);
    collectorTls = SyslogTestPki.serverContext(pki.collector(), Optional.empty());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
  }

  @Test
  void deliversEveryEntryAndCheckpointFramedInOrderWithPriorityStructuredDataAndMessage() throws Exception {
    TestCollector collector = collector(TestCollector.start(collectorTls, 0, false));
    SyslogForwarder forwarder = forwarder(collector.port(), FAST, false);
    List<byte[]> lines = new ArrayList<>();
    for (int seq = 0; seq < 2_000; seq++) {
      byte[] line = TestEntries.line(seq);
      lines.add(line.clone());
      forwarder.entry(seq, line, TestEntries.leafHash(line));
    }
    String note = new NoteSigner(ORIGIN, new byte[32]).sign(new Checkpoint(ORIGIN, 2_000, new byte[32]).body());
    forwarder.checkpoint(note);

    await(() -> collector.received().size() >= 2_001, WAIT, "2,001 messages");

    List<TestCollector.Received> received = collector.received();
    assertThat(collector.errors()).isEmpty();
    assertThat(received).hasSize(2_001);
    for (int seq = 0; seq < 2_000; seq++) {
      SyslogMessage message = received.get(seq).parsed();
      assertThat(message.facility()).isEqualTo(13);
      assertThat(message.severity()).as("seq %d", seq).isEqualTo(seq % 10 == 9 ? 4 : 5);
      assertThat(message.timestamp()).isEqualTo(TestEntries.TIME);
      assertThat(message.hostname()).isEqualTo("replica-1");
      assertThat(message.appName()).isEqualTo("gatehouse");
      assertThat(message.procId()).isEqualTo("-");
      assertThat(message.msgId()).isEqualTo("entry");
      assertThat(message.sdId()).isEqualTo("gatehouse@32473");
      assertThat(message.params()).containsEntry("seq", Integer.toString(seq))
          .containsEntry("leaf", Base64.getEncoder().encodeToString(TestEntries.leafHash(lines.get(seq))))
          .containsEntry("origin", ORIGIN);
      assertThat(message.msg()).isEqualTo(lines.get(seq));
    }
    SyslogMessage checkpoint = received.get(2_000).parsed();
    assertThat(checkpoint.msgId()).isEqualTo("checkpoint");
    assertThat(checkpoint.severity()).isEqualTo(6);
    assertThat(checkpoint.params()).containsEntry("size", "2000");
    assertThat(events.sent.get()).isEqualTo(2_001);
    assertThat(events.dropped.get()).isZero();
    assertThat(events.connected.get()).isEqualTo(1);
    assertThat(collector.handshakes()).isEqualTo(1);
  }

  @Test
  void escapesControlCharactersFromTheEntryOriginAndReplicaOnTheWire() throws Exception {
    TestCollector collector = collector(TestCollector.start(collectorTls, 0, false));
    SyslogForwarder forwarder = track(new SyslogForwarder(config(collector.port(), false), "rep\nlica\u001b",
        "origin\"]\\\u0000\r\n<13>1 forged", FAST, events));
    byte[] line = TestEntries.line(TestEntries.request(0).put("path", "/a\r\n<13>1 2026-01-01T00:00:00Z forged"));
    byte[] malformed = "{\"seq\":1,\"path\":\"/raw\nnewline\"}".getBytes(StandardCharsets.UTF_8);

    forwarder.entry(0, line, TestEntries.leafHash(line));
    forwarder.entry(1, malformed, TestEntries.leafHash(malformed));
    await(() -> collector.received().size() >= 2, WAIT, "two messages");

    assertThat(collector.errors()).isEmpty();
    for (TestCollector.Received received : collector.received()) {
      SyslogMessageFormatterTest.assertNoControlCharacters(received.bytes());
      SyslogMessage message = received.parsed();
      assertThat(message.hostname()).isEqualTo("rep_lica_");
      assertThat(message.params().get("origin")).isEqualTo("origin\"]\\\\u0000\\u000d\\u000a<13>1 forged");
    }
    assertThat(collector.received().get(0).parsed().msg()).isEqualTo(line);
  }

  @Test
  void deliversWhatWasQueuedOnceACollectorThatWasDownAtStartComesUp() throws Exception {
    int port = freePort();
    SyslogForwarder forwarder = forwarder(port, FAST, false);
    sendEntries(forwarder, 0, 500);
    await(() -> events.connectionFailed.get() >= 2, WAIT, "failed attempts while the collector is down");

    TestCollector collector = collector(TestCollector.start(collectorTls, port, false));
    await(() -> collector.received().size() >= 500, WAIT, "500 messages");

    assertThat(seqs(collector.received())).isEqualTo(range(0, 500));
    assertThat(collector.errors()).isEmpty();
    assertThat(events.dropped.get()).isZero();
  }

  @Test
  void resumesAfterTheCollectorIsKilledMidStreamWithoutLosingAnythingQueued() throws Exception {
    List<TestCollector.Received> received = new CopyOnWriteArrayList<>();
    // Collector 1 reads 1,500 messages, stops reading for a moment (the sender's writes pile up in the socket
    // buffers, megabytes of them) and dies with all that unread.
    TestCollector first = collector(TestCollector.start(collectorTls, 0, false, received, 1, 1_500,
        Duration.ofMillis(500)));
    int port = first.port();
    SyslogForwarder forwarder = forwarder(port, FAST, false);
    int total = 12_000;
    Thread producer = new Thread(() -> sendEntries(forwarder, 0, total));
    producer.start();

    await(() -> received.size() >= 1_500 && events.connectionFailed.get() >= 1, WAIT, "the kill to be noticed");
    sleep(100);
    TestCollector second = collector(TestCollector.start(collectorTls, port, false, received, 2, Integer.MAX_VALUE,
        Duration.ZERO));
    producer.join();
    TestCollector.waitFor(() -> missing(received, total).isEmpty(), WAIT);

    assertThat(missing(received, total)).as("seqs that never arrived; connections: %s", connections(received))
        .isEmpty();
    assertThat(first.errors()).isEmpty();
    assertThat(second.errors()).isEmpty();
    assertThat(received.stream().filter(r -> r.collector() == 1).count()).isEqualTo(1_500);
    assertThat(events.dropped.get()).isZero();
    // Each connection carries the log in order; a new one starts a little back (a resend), never ahead.
    long highest = -1;
    TestCollector.Received previous = null;
    for (TestCollector.Received r : received) {
      long seq = seq(r);
      if (previous != null && previous.collector() == r.collector() && previous.connection() == r.connection()) {
        assertThat(seq).as("after %d on the same connection", seq(previous)).isEqualTo(seq(previous) + 1);
      } else {
        assertThat(seq).as("first on a new connection").isLessThanOrEqualTo(highest + 1);
      }
      highest = Math.max(highest, seq);
      previous = r;
    }
  }

  @Test
  void dropsAndCountsWithoutBlockingTheCallerWhenTheQueueIsFull() throws Exception {
    int port = freePort();
    SyslogForwarder forwarder = forwarder(port, FAST.withCapacity(1_000), false);
    int total = 100_000;
    byte[][] lines = new byte[total][];
    byte[][] leaves = new byte[total][];
    for (int seq = 0; seq < total; seq++) {
      lines[seq] = TestEntries.line(seq);
      leaves[seq] = TestEntries.leafHash(lines[seq]);
    }

    long started = System.nanoTime();
    for (int seq = 0; seq < total; seq++) forwarder.entry(seq, lines[seq], leaves[seq]);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // A call that waited for room would wait for good (nothing is sent while the collector is down); formatting
    // 100,000 entries takes well under a second, the bound leaves room for a loaded machine.
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(events.dropped.get()).isEqualTo(99_000);
    assertThat(forwarder.droppedCount()).isEqualTo(99_000);
    // The queued ones are the oldest, and they still go out once the collector is there.
    TestCollector collector = collector(TestCollector.start(collectorTls, port, false));
    await(() -> collector.received().size() >= 1_000, WAIT, "the 1,000 queued messages");
    assertThat(seqs(collector.received())).isEqualTo(range(0, 1_000));
  }

  @Test
  void dropsByBytesWhenTheQueueHoldsItsByteBudget() throws Exception {
    SyslogOptions tiny = new SyslogOptions(1_000, 8_192 * 4, FAST.closeGrace(), FAST.connectTimeout(),
        FAST.writeTimeout(), FAST.firstBackoff(), FAST.maxBackoff(), FAST.resendBytes());
    SyslogForwarder forwarder = forwarder(freePort(), tiny, false);
    byte[] line = TestEntries.line(TestEntries.request(0).put("detail", "x".repeat(7_000)));

    for (int seq = 0; seq < 10; seq++) forwarder.entry(seq, line, TestEntries.leafHash(line));

    assertThat(events.dropped.get()).isEqualTo(6);
  }

  @Test
  void givesUpOnACollectorThatStopsReadingAfterTheWriteTimeout() throws Exception {
    TestCollector stalled = collector(TestCollector.startStalled(collectorTls));
    SyslogForwarder forwarder = forwarder(stalled.port(),
        FAST.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500)), false);
    byte[] line = TestEntries.line(TestEntries.request(0).put("detail", "x".repeat(7_000)));

    for (int seq = 0; seq < 4_000; seq++) forwarder.entry(seq, line, TestEntries.leafHash(line));
    await(() -> events.connectionFailed.get() >= 1, WAIT, "the stuck write to time out");
    await(() -> stalled.accepted() >= 2, WAIT, "a new connection after the stuck one");

    assertThat(events.sent.get()).as("batches written before the buffers filled").isPositive();
    long started = System.nanoTime();
    forwarder.close();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void givesUpOnAServerThatNeverAnswersTheHandshakeAfterTheConnectTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SyslogForwarder forwarder = forwarder(silent.getLocalPort(),
          FAST.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5)), false);
      forwarder.entry(0, TestEntries.line(0), new byte[32]);

      long started = System.nanoTime();
      await(() -> events.connectionFailed.get() >= 3, WAIT, "three timed-out handshakes");

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
      assertThat(events.connected.get()).isZero();
    }
  }

  @Test
  void presentsTheClientCertificateToACollectorThatRequiresOne() throws Exception {
    SSLContext mutual = SyslogTestPki.serverContext(pki.collector(), Optional.of(pki.ca.certificate()));
    TestCollector collector = collector(TestCollector.start(mutual, 0, true));
    SyslogForwarder forwarder = forwarder(collector.port(), FAST, true);

    sendEntries(forwarder, 0, 10);
    await(() -> collector.received().size() >= 10, WAIT, "10 messages");

    assertThat(collector.clientSubjects()).containsExactly("CN=gatehouse-replica-1,O=Test");
    assertThat(seqs(collector.received())).isEqualTo(range(0, 10));
  }

  @Test
  void sendsNothingToACollectorThatRequiresAClientCertificateWhenNoneIsConfigured() throws Exception {
    SSLContext mutual = SyslogTestPki.serverContext(pki.collector(), Optional.of(pki.ca.certificate()));
    TestCollector collector = collector(TestCollector.start(mutual, 0, true));
    SyslogForwarder forwarder = forwarder(collector.port(), FAST, false);

    sendEntries(forwarder, 0, 10);
    await(() -> events.connectionFailed.get() >= 2, WAIT, "refused attempts");

    assertThat(collector.received()).isEmpty();
    assertThat(collector.handshakes()).isZero();
  }

  @Test
  void refusesACollectorWhoseCertificateIsNotSignedByTheConfiguredCa() throws Exception {
    SSLContext impostor = SyslogTestPki.serverContext(SyslogTestPki.collectorFromAnotherCa(), Optional.empty());
    assertRefused(collector(TestCollector.start(impostor, 0, false)));
  }

  @Test
  void refusesACollectorWhoseCertificateNamesAnotherHost() throws Exception {
    SSLContext misnamed = SyslogTestPki.serverContext(pki.collectorForAnotherName(), Optional.empty());
    assertRefused(collector(TestCollector.start(misnamed, 0, false)));
  }

  @Test
  void trustsOnlyTheJdkTrustStoreWhenNoCaBundleIsConfigured() throws Exception {
    // The test CA is in no JDK trust store, so without the bundle the collector's certificate is unknown.
    TestCollector collector = collector(TestCollector.start(collectorTls, 0, false));
    AuditConfig.Syslog noBundle = new AuditConfig.Syslog(new HostPort("127.0.0.1", collector.port()),
        Optional.empty(), Optional.empty(), Optional.empty());
    track(new SyslogForwarder(noBundle, "replica-1", ORIGIN, FAST, events)).entry(0, TestEntries.line(0),
        new byte[32]);

    await(() -> events.connectionFailed.get() >= 2, WAIT, "refused attempts");
    assertThat(collector.handshakes()).isZero();
    assertThat(collector.received()).isEmpty();
  }

  @Test
  void closeSendsWhatIsStillQueuedWithinTheGrace() throws Exception {
    TestCollector collector = collector(TestCollector.start(collectorTls, 0, false));
    SyslogForwarder forwarder = new SyslogForwarder(config(collector.port(), false), "replica-1", ORIGIN,
        FAST.withCloseGrace(SyslogOptions.DEFAULTS.closeGrace()), events);

    sendEntries(forwarder, 0, 20_000);
    forwarder.close();

    await(() -> collector.received().size() >= 20_000, WAIT, "20,000 messages");
    assertThat(seqs(collector.received())).isEqualTo(range(0, 20_000));
    assertThat(events.dropped.get()).isZero();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(SyslogForwarder.THREAD_NAME)
        && t.isAlive());
  }

  @Test
  void closeGivesUpAfterTheGraceWhenTheCollectorIsDownAndCountsWhatIsLeft() throws Exception {
    SyslogForwarder forwarder = new SyslogForwarder(config(freePort(), false), "replica-1", ORIGIN,
        FAST.withCloseGrace(Duration.ofMillis(300)), events);
    sendEntries(forwarder, 0, 100);

    long started = System.nanoTime();
    forwarder.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    forwarder.entry(100, TestEntries.line(100), new byte[32]);

    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(events.dropped.get()).isEqualTo(101);
    forwarder.close(); // a second close is harmless
  }

  @Test
  void refusesToStartWithAClientCertificateThatDoesNotMatchItsKey() throws Exception {
    SyslogTestPki other = SyslogTestPki.create(Files.createDirectory(tmp.resolve("other")));
    AuditConfig.Syslog mismatched = new AuditConfig.Syslog(new HostPort("127.0.0.1", 6514), Optional.of(pki.caFile),
        Optional.of(pki.clientCertFile), Optional.of(other.clientKeyFile));

    assertThatThrownBy(() -> new SyslogForwarder(mismatched, "r", ORIGIN, FAST, events))
        .isInstanceOf(TlsMaterialException.class).hasMessageContaining("does not match");
  }

  private void assertRefused(TestCollector collector) throws Exception {
    SyslogForwarder forwarder = forwarder(collector.port(), FAST, false);
    sendEntries(forwarder, 0, 10);
    await(() -> events.connectionFailed.get() >= 2 && collector.accepted() >= 2, WAIT, "refused attempts");

    assertThat(collector.handshakes()).isZero();
    assertThat(collector.received()).isEmpty();
    assertThat(events.connected.get()).isZero();
    assertThat(events.sent.get()).isZero();
  }

  private SyslogForwarder forwarder(int port, SyslogOptions options, boolean clientCertificate) throws Exception {
    return track(new SyslogForwarder(config(port, clientCertificate), "replica-1", ORIGIN, options, events));
  }

  private AuditConfig.Syslog config(int port, boolean clientCertificate) {
    return new AuditConfig.Syslog(new HostPort("127.0.0.1", port), Optional.of(pki.caFile),
        clientCertificate ? Optional.of(pki.clientCertFile) : Optional.empty(),
        clientCertificate ? Optional.of(pki.clientKeyFile) : Optional.empty());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private TestCollector collector(TestCollector collector) {
    return track(collector);
  }

  private static void sendEntries(SyslogForwarder forwarder, int from, int to) {
    for (int seq = from; seq < to; seq++) {
      byte[] line = TestEntries.line(seq);
      forwarder.entry(seq, line, TestEntries.leafHash(line));
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private static long seq(TestCollector.Received received) {
    return Long.parseLong(received.parsed().params().get("seq"));
  }

  private static List<Long> seqs(List<TestCollector.Received> received) {
    return received.stream().map(SyslogForwarderTest::seq).toList();
  }

  /** Which seqs each connection carried, e.g. {@code 1/1: 0..1499, 2/1: 0..11999}, for failure messages. */
  private static String connections(List<TestCollector.Received> received) {
    StringBuilder out = new StringBuilder();
    TestCollector.Received previous = null;
    for (TestCollector.Received r : received) {
      if (previous == null || previous.collector() != r.collector() || previous.connection() != r.connection()) {
        if (previous != null) out.append("..").append(seq(previous)).append(", ");
        out.append(r.collector()).append('/').append(r.connection()).append(": ").append(seq(r));
      }
      previous = r;
    }
    return previous == null ? "none" : out.append("..").append(seq(previous)).toString();
  }

  private static TreeSet<Long> missing(List<TestCollector.Received> received, int total) {
    TreeSet<Long> missing = new TreeSet<>(range(0, total));
    seqs(received).forEach(missing::remove);
    return missing;
  }

  private static List<Long> range(long from, long to) {
    List<Long> all = new ArrayList<>();
    for (long i = from; i < to; i++) all.add(i);
    return all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts what the forwarder reports. */
  private static final class CountingEvents implements SyslogEvents {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicInteger connectionFailed = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();

    @Override public void sent(int messages) {
      sent.addAndGet(messages);
    }

    @Override public void dropped() {
      dropped.incrementAndGet();
    }

    @Override public void connectionFailed() {
      connectionFailed.incrementAndGet();
    }

    @Override public void connected() {
      connected.incrementAndGet();
    }
  }
}
