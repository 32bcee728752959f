package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streaming through the gateway, end to end: server-sent events arrive as the upstream sends them, and 100 MiB
 * bodies pass both ways without the gateway's heap growing with them.
 */
class StreamingIT {
  private static final long HUNDRED_MIB = 100L * 1024 * 1024;
  /** Far below the body size: a gateway that buffered even a third of a body would exceed it. */
  private static final long RETAINED_HEAP_BOUND = 32L * 1024 * 1024;

  private static Vertx vertx;
  private static TestUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new TestUpstream(vertx);
    gateway = GatewayHarness.startWithConfig(GatewayConfigYaml.of(upstream.url()).withMaxBody("200MiB").yaml());
  }

  @AfterAll static void stop() {
    gateway.close();
    upstream.close();
    vertx.close().await();
  }

  @BeforeEach void clear() {
    upstream.clear();
  }

  private static HttpClient client(HttpClient.Version version) {
    return version == HttpClient.Version.HTTP_2 ? gateway.http() : gateway.http1();
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void deliversServerSentEventsAsTheyAreSent(HttpClient.Version version) throws Exception {
    HttpResponse<InputStream> response = client(version).send(
        HttpRequest.newBuilder(URI.create(gateway.url("/sse?n=5"))).header("Accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    Map<String, Long> arrivals = new LinkedHashMap<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("data: ")) arrivals.put(line.substring(6), System.nanoTime());
      }
    }

    assertThat(arrivals.keySet()).containsExactly("event-0", "event-1", "event-2", "event-3", "event-4");
    // The upstream sends an event every 50 ms: event-0 must be in the client's hands about 200 ms before
    // event-4 is even written. A buffering proxy would hand all five over together when the stream ends.
    long spreadMillis = (arrivals.get("event-4") - arrivals.get("event-0")) / 1_000_000;
    assertThat(spreadMillis).as("ms between event-0 and event-4 at the client").isGreaterThanOrEqualTo(120);
    JsonNode record = gateway.accessRecord(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(record.get("status").asInt()).isEqualTo(200);
    assertThat(record.get("bytes_out").asLong()).isGreaterThan(5 * "data: event-0\n\n".length());
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void streams100MiBUploadWithoutRetainingItOnTheHeap(HttpClient.Version version) throws Exception {
    long uploadedBefore = upstream.uploadedBytes();
    GeneratedBody body = new GeneratedBody(HUNDRED_MIB);
    HttpResponse<String> response;
    long retained;
    try (HeapWatch heap = new HeapWatch(); MidTransferSampler sampler = new MidTransferSampler(heap, body::sent)) {
      response = client(version).send(
          HttpRequest.newBuilder(URI.create(gateway.url("/upload")))
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      sampler.assertSampled();
      retained = heap.retainedGrowth();
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version);
    assertThat(response.body()).isEqualTo(Long.toString(HUNDRED_MIB));
    assertThat(upstream.uploadedBytes() - uploadedBefore).isEqualTo(HUNDRED_MIB);
    assertThat(retained).as("live heap growth during a 100 MiB upload (bytes)").isLessThan(RETAINED_HEAP_BOUND);
    JsonNode record = gateway.accessRecord(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(record.get("bytes_in").asLong()).isEqualTo(HUNDRED_MIB);
    assertThat(record.get("bytes_out").asLong()).isEqualTo(Long.toString(HUNDRED_MIB).length());
    assertThat(record.get("status").asInt()).isEqualTo(200);
  }

  @Test void streams100MiBDownloadWithoutRetainingItOnTheHeap() throws Exception {
    AtomicLong received = new AtomicLong();
    HttpResponse<InputStream> response;
    long retained;
    try (HeapWatch heap = new HeapWatch(); MidTransferSampler sampler = new MidTransferSampler(heap, received::get)) {
      response = gateway.http().send(
          HttpRequest.newBuilder(URI.create(gateway.url("/bytes?n=" + HUNDRED_MIB))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      byte[] discard = new byte[64 * 1024];
      try (InputStream in = response.body()) {
        for (int n; (n = in.read(discard)) > 0; ) received.addAndGet(n);
      }
      sampler.assertSampled();
      retained = heap.retainedGrowth();
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(received.get()).isEqualTo(HUNDRED_MIB);
    assertThat(retained).as("live heap growth during a 100 MiB download (bytes)").isLessThan(RETAINED_HEAP_BOUND);
    JsonNode record = gateway.accessRecord(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(record.get("bytes_out").asLong()).isEqualTo(HUNDRED_MIB);
    assertThat(record.get("bytes_in").asLong()).isZero();
  }

  /** A request body made up on the fly: nothing of it exists before the client reads it. */
  private static final class GeneratedBody extends InputStream {
    private final long total;
    private final AtomicLong sent = new AtomicLong();

    GeneratedBody(long total) {
      this.total = total;
    }

    long sent() {
      return sent.get();
    }

    @Override public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] buffer, int offset, int length) {
      long left = total - sent.get();
      if (left <= 0) return -1;
      int n = (int) Math.min(left, length);
      for (int i = 0; i < n; i++) buffer[offset + i] = (byte) ('a' + (i % 26));
      sent.addAndGet(n);
      return n;
    }
  }

  /**
   * Forces a collection when the transfer is half way and nine tenths through, from its own thread, so what a
   * buffering gateway would hold at that moment is counted as live.
   */
  private static final class MidTransferSampler implements AutoCloseable {
    private final Thread thread;
    private final List<Long> sampledAt = new ArrayList<>();

    MidTransferSampler(HeapWatch heap, LongSupplier progress) {
      thread = new Thread(() -> {
        for (long mark : new long[] {HUNDRED_MIB / 2, HUNDRED_MIB * 9 / 10}) {
          while (progress.getAsLong() < mark) {
            if (Thread.currentThread().isInterrupted()) return;
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              return;
            }
          }
          heap.sampleNow();
          synchronized (sampledAt) {
            sampledAt.add(progress.getAsLong());
          }
        }
      }, "mid-transfer-heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** Both samples were taken while bytes were still moving. */
    void assertSampled() throws InterruptedException {
      thread.join(10_000);
      synchronized (sampledAt) {
        assertThat(sampledAt).as("progress at the forced collections").hasSize(2);
      }
    }

    @Override public void close() {
      thread.interrupt();
    }
  }
}
