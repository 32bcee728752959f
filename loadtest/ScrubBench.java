import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * The PHI scrubber's throughput on JSON (issue 12's goal: at least 100 MB of JSON per CPU-second of one core).
 * Builds seeded n8n-like webhook bodies (a claim with a member, lines, free-text notes carrying identifiers, and
 * hard negatives), scrubs them on one thread after a warm-up, and prints one JSON object: MB/s per CPU-second of
 * that thread for 1 KiB-ish and 16 KiB-ish bodies, two ways: {@code json_*} as a capture's scrubbing worker does
 * ({@link Scrubber#scrubCaptured}: the keyed HMAC was taken on the event loop as the body streamed past), and
 * {@code json_*_with_hmac} with the HMAC of every byte too ({@link Scrubber#scrub}, as {@code gatehouse scrub} does).
 *
 * <p>Not a unit test. Run with the gateway's jar on the class path:
 * {@code java -cp gateway/target/gatehouse.jar loadtest/ScrubBench.java [seconds] [worker|hmac|both]}: one way per
 * JVM gives steadier figures (the JIT compiles the scrubber for the one caller it sees).
 */
public final class ScrubBench {
  private static final String[] FIRST = {"Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer"};
  private static final String[] LAST = {"Garcia", "Kshlerin", "Johnson", "Nguyen", "Okafor", "Schmidt", "Brown"};

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String ways = args.length > 1 ? args[1] : "both";
    Scrubber scrubber = new Scrubber(new ScrubPolicy(List.of("member_id"), List.of(), 1 << 20,
        "bench-hmac-key-0123456789abcdef!".getBytes(StandardCharsets.US_ASCII)));
    Random random = new Random(12);
    List<byte[]> small = bodies(random, 1, 200);
    List<byte[]> large = bodies(random, 16, 20);
    byte[] hmac = new byte[32];
    Function<byte[], ScrubResult> worker = body -> scrubber.scrubCaptured("application/json", false, body,
        body.length, body.length, hmac);
    Function<byte[], ScrubResult> whole = body -> scrubber.scrub("application/json", body);
    StringBuilder out = new StringBuilder("{");
    if (!ways.equals("hmac")) {
      out.append("\"json_1k\":").append(run(worker, small, seconds)).append(",\"json_16k\":")
          .append(run(worker, large, seconds)).append(',');
    }
    if (!ways.equals("worker")) {
      out.append("\"json_1k_with_hmac\":").append(run(whole, small, seconds)).append(",\"json_16k_with_hmac\":")
          .append(run(whole, large, seconds)).append(',');
    }
    System.out.println(out.append("\"goal_mb_per_cpu_s\":100}"));
  }

  private static String run(Function<byte[], ScrubResult> scrub, List<byte[]> bodies, double seconds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long warmEnd = System.nanoTime() + 2_000_000_000L;
    int redactions = 0;
    for (int i = 0; System.nanoTime() < warmEnd; i++) redactions += scrub.apply(bodies.get(i % bodies.size()))
        .redactions();
    long bytes = 0;
    long count = 0;
    long cpuStart = threads.getCurrentThreadCpuTime();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (int i = 0; System.nanoTime() < end; i++) {
      byte[] body = bodies.get(i % bodies.size());
      ScrubResult result = scrub.apply(body);
      redactions += result.redactions();
      bytes += body.length;
      count++;
    }
    double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    long average = bytes / Math.max(1, count);
    return String.format(Locale.ROOT, "{\"bodies\":%d,\"avg_bytes\":%d,\"cpu_s\":%.3f,\"mb_per_cpu_s\":%.1f,"
        + "\"bodies_per_cpu_s\":%.0f,\"redactions_seen\":%d}", count, average, cpu, bytes / 1e6 / cpu,
        count / cpu, redactions);
  }

  /** Seeded bodies of about {@code kib} KiB each. */
  private static List<byte[]> bodies(Random random, int kib, int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder json = new StringBuilder("{\"executionId\":\"").append(100000 + random.nextInt(900000))
          .append("\",\"workflowId\":\"").append(new java.util.UUID(random.nextLong(), random.nextLong()))
          .append("\",\"timestamp\":").append(1_600_000_000L + random.nextInt(100_000_000)).append(",\"claims\":[");
      int claims = 0;
      while (json.length() < kib * 1024 - 200) {
        if (claims++ > 0) json.append(',');
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        json.append("{\"claimId\":\"CLM-2024-").append(10000 + random.nextInt(89999))
            .append("\",\"member\":{\"member_id\":\"M").append(random.nextInt(99_999_999))
            .append("\",\"firstName\":\"").append(first).append("\",\"lastName\":\"").append(last)
            .append("\",\"dob\":\"19").append(50 + random.nextInt(50)).append("-0").append(1 + random.nextInt(9))
            .append("-1").append(random.nextInt(10)).append("\",\"gender\":\"female\"},")
            .append("\"lines\":[{\"cpt\":\"99213\",\"icd10\":\"E11.9\",\"amount\":").append(random.nextInt(900))
            .append(".50,\"status\":\"approved\"}],\"provider\":{\"npi\":\"1234567893\",\"specialty\":\"internal\"},")
            .append("\"notes\":\"Patient ").append(first).append(' ').append(last)
            .append(" called from (617) 555-0").append(100 + random.nextInt(899))
            .append(" about invoice INV-2024-00931; SSN 123-45-").append(1000 + random.nextInt(8999))
            .append(" on file. Follow up by email. Total due $1,250.00, order ORD-58812 shipped.\"}");
      }
      out.add(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }
}
