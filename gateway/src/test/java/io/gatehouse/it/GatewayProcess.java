package io.gatehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's real command line, run in a child JVM ({@code java -cp <test classpath> io.gatehouse.cli.Main …})
 * so exit codes, signals and the process's own stdout/stderr can be asserted. Output goes to files in the
 * working directory (never a pipe that could fill up and stall the child).
 *
 * <pre>
 * try (var gw = GatewayProcess.run(dir, ports -&gt; yamlFor(ports), Map.of())) { gw.signal("HUP"); }
 * var result = GatewayProcess.cli(dir, Map.of(), "check", "--config", file.toString());
 * </pre>
 */
public final class GatewayProcess implements AutoCloseable {
  /** Small heap and quick start: children are short-lived and the machine is shared. */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  /** The README's production flags ("Running it in production"), for tests of memory under attack. */
  public static final List<String> PRODUCTION_JVM_OPTIONS = List.of("-Xms16m", "-Xmx128m", "-Xmn16m",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:+UseSerialGC",
      "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=96m", "-Xss512k", "-XX:MaxDirectMemorySize=128m");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;

  /** The two ports a child gateway listens on, chosen before it starts so the test can reach them. */
  public record Ports(int listen, int admin) {}

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Builds the config text for a pair of ports. */
  @FunctionalInterface
  public interface ConfigForPorts {
    String yaml(Ports ports);
  }

  private final Process process;
  private final Path configFile;
  private final Ports ports;
  private final Path stdout;
  private final Path stderr;

  private GatewayProcess(Process process, Path configFile, Ports ports, Path stdout, Path stderr) {
    this.process = process;
    this.configFile = configFile;
    this.ports = ports;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Writes {@code dir/gatehouse.yaml} for two free ports and runs {@code run --config} on it until its admin
   * {@code /healthz} answers. A port taken between choosing and binding (rare) makes the child exit; the start is
   * then retried with new ports.
   */
  public static GatewayProcess run(Path dir, ConfigForPorts config, Map<String, String> env) throws Exception {
    return run(dir, config, env, JVM_OPTIONS);
  }

  /** {@link #run(Path, ConfigForPorts, Map)} with the given JVM options (e.g. {@link #PRODUCTION_JVM_OPTIONS}). */
  public static GatewayProcess run(Path dir, ConfigForPorts config, Map<String, String> env, List<String> jvmOptions)
      throws Exception {
    Path file = dir.resolve("gatehouse.yaml").toAbsolutePath();
    String lastFailure = "";
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Ports ports = new Ports(freePort(), freePort());
      writeAtomically(file, config.yaml(ports));
      Path out = dir.resolve("run-" + attempt + ".stdout");
      Path err = dir.resolve("run-" + attempt + ".stderr");
      Process process = start(dir, env, out, err, jvmOptions, List.of("run", "--config", file.toString()));
      GatewayProcess gateway = new GatewayProcess(process, file, ports, out, err);
      if (gateway.awaitHealthy()) return gateway;
      gateway.close();
      lastFailure = gateway.stderr();
      if (!lastFailure.contains("Address already in use") && !lastFailure.contains("BindException")) break;
    }
    throw new AssertionError("gateway did not become healthy; its stderr:\n" + lastFailure);
  }

  /** Runs one command to its end (at most 30 s) and returns its exit status and output. */
  public static Result cli(Path dir, Map<String, String> env, String... args) throws Exception {
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "cli", ".stdout");
    Path err = Files.createTempFile(dir, "cli", ".stderr");
    Process process = start(dir, env, out, err, JVM_OPTIONS, List.of(args));
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("gatehouse " + String.join(" ", args) + " did not finish in 30 s");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Process start(Path dir, Map<String, String> env, Path out, Path err, List<String> jvmOptions,
      List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Under surefire this may be a manifest-only jar; its Class-Path entries are honoured by the child too.
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.gatehouse.cli.Main");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /**
   * {@link GatewayHarness#configYaml} with fixed ports instead of port 0: a child's ports must be known
   * beforehand. Certificates are expected in {@code certs/} next to the config (see {@link #writeDevCerts}).
   */
  public static String configYaml(String upstreamUrl, String routes, String serverExtra, Ports ports) {
    return configYaml(upstreamUrl, routes, serverExtra, GatewayHarness.Options.DEFAULTS, ports);
  }

  /** As {@link #configYaml(String, String, String, Ports)}, with other timeouts or public URL. */
  public static String configYaml(String upstreamUrl, String routes, String serverExtra,
      GatewayHarness.Options options, Ports ports) {
    String any = "listen: \"127.0.0.1:0\"";
    String yaml = GatewayHarness.configYaml(upstreamUrl, routes, serverExtra, options);
    String withPorts = yaml
        .replaceFirst(Pattern.quote(any), Matcher.quoteReplacement("listen: \"127.0.0.1:" + ports.listen() + "\""))
        .replaceFirst(Pattern.quote(any), Matcher.quoteReplacement("listen: \"127.0.0.1:" + ports.admin() + "\""));
    assertThat(withPorts).as("both listen addresses replaced").doesNotContain(any);
    return withPorts;
  }

  /** The dev CA, server and client certificates in {@code dir/certs}, as the harness config expects them. */
  public static void writeDevCerts(Path dir) throws Exception {
    new io.gatehouse.tls.DevCertificateWriter().writeServerAndClient(dir.resolve("certs"), "it-client");
  }

  /** A port that was free a moment ago on 127.0.0.1. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Replaces a file in one step, as operators should, so a poller never reads half of it. */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private boolean awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (adminStatus("/healthz") == 200) return true;
      Thread.sleep(50);
    }
    return false;
  }

  public long pid() { return process.pid(); }

  /**
   * The child's live heap in bytes: {@code jcmd GC.heap_info} right after a full collection ({@code GC.run}), the
   * serial collector's young and old generations added up.
   */
  /** A {@code /proc/<pid>/status} field in KiB, e.g. {@code VmRSS} (resident now) or {@code VmHWM} (peak resident). */
  public long statusKib(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    throw new AssertionError(field + " not in /proc/<pid>/status");
  }

  public long liveHeapBytes() throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.heap_info").redirectErrorStream(true)
        .start();
    String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    info.waitFor(30, TimeUnit.SECONDS);
    Matcher used = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(text);
    long kib = 0;
    int found = 0;
    while (used.find()) {
      kib += Long.parseLong(used.group(1));
      found++;
    }
    assertThat(found).as("jcmd GC.heap_info output:\n" + text).isEqualTo(2);
    return kib * 1024;
  }
  public Process process() { return process; }
  public Path configFile() { return configFile; }
  public int port() { return ports.listen(); }
  public int adminPort() { return ports.admin(); }
  public String url(String pathAndQuery) { return "https://localhost:" + port() + pathAndQuery; }

  /** Everything the child wrote to stderr so far (its log). */
  public String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  public String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  /** Sends a signal by name ({@code HUP}, {@code INT}, {@code TERM}): ProcessHandle has no signal API. */
  public void signal(String name) throws Exception {
    assertThat(ignores(name)).as("the gateway process ignores SIG" + name + ": it inherited that from how the tests"
        + " were started (nohup ignores HUP; a background job of a non-interactive shell ignores INT and QUIT), and a"
        + " JVM keeps a signal ignored that it was started with. Run ./gatehouse-test in the foreground, or from a"
        + " shell that does not ignore the signal").isFalse();
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -" + name + " exit status").isZero();
  }

  /** Whether the process was started with signal {@code name} ignored (Linux's /proc SigIgn mask). */
  private boolean ignores(String name) throws IOException {
    int number = switch (name) {
      case "HUP" -> 1;
      case "INT" -> 2;
      case "TERM" -> 15;
      default -> 0;
    };
    Path status = Path.of("/proc/" + pid() + "/status");
    if (number == 0 || !Files.exists(status)) return false;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) >> (number - 1) & 1) == 1;
    }
    return false;
  }

  /** The status of a GET on the admin listener, or -1 when it cannot be reached. */
  public int adminStatus(String path) {
    try {
      return adminGet(path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of a GET on the admin listener. */
  public String adminBody(String path) throws Exception {
    return adminGet(path).body();
  }

  /** The admin listener's {@code /metrics} text. */
  public String metrics() throws Exception {
    return adminGet("/metrics").body();
  }

  private HttpResponse<String> adminGet(String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of one series in Prometheus text, e.g. {@code gatehouse_config_reloads_total{result="ok"}}; 0 when
   * the series is absent.
   */
  public static double metricValue(String metricsText, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metricsText);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The sum of every series of {@code name} whose labels include all of {@code labels} (e.g. {@code route="x"}). */
  public static double metricSum(String metricsText, String name, String... labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(metricsText);
    double sum = 0;
    outer:
    while (m.find()) {
      for (String label : labels) if (!m.group(1).contains(label)) continue outer;
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  /** Waits for the child to end; true if it did within {@code timeout}. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Kills the child if it still runs (a test that passed has normally stopped it already). */
  @Override public void close() {
    if (!process.isAlive()) return;
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
