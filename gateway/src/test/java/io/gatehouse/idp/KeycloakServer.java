package io.gatehouse.idp;

import java.io.IOException;
import java.io.InputStream;
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
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak (the pinned version of {@code scripts/install-keycloak.sh}) on free loopback ports, in dev mode
 * with an in-memory database, the test realm ({@link TestRealm}) imported at every start.
 *
 * <p>{@link #stop()} then {@link #start()} brings it back on the same port (for "IdP down, then back" tests);
 * the in-memory database is lost in between, so the realm comes back as the file defines it and anything a test
 * changed through {@link #admin()} must be changed again.
 *
 * <p>The install is found through {@code -Dgatehouse.keycloak.home} (set by {@code gatehouse-test}); without it the
 * install script runs (a no-op when cached). When Keycloak cannot be had the test fails with what to install: a
 * test that needs the IdP is never skipped.
 */
public final class KeycloakServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(KeycloakServer.class.getName());
  /**
   * A start takes 25-60 s on this 2-core machine (an H2 schema is created and the realm imported every time), but
   * over 5 minutes when other builds load it twelvefold (seen); an install that {@code scripts/install-keycloak.sh}
   * did not pre-build adds a ~45 s dev-mode build.
   */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(600);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final String ADMIN_USERNAME = "gatehouse-admin";

  // One Keycloak per JVM for the tests that do not stop it (it costs ~20 s and ~500 MB): with N8nServer's, the
  // only static mutable state in the tests.
  private static KeycloakServer shared;
  private static Throwable setupFailure;

  private final Path home;
  private final Path workDir;
  private final int port;
  private final int managementPort;
  private final String adminPassword;
  private final List<Path> trustedCertificates;
  private Process process;
  private Duration lastStart = Duration.ZERO;

  private KeycloakServer(Path home, Path workDir, int[] ports, String adminPassword, List<Path> trustedCertificates) {
    this.home = home;
    this.workDir = workDir;
    this.port = ports[0];
    this.managementPort = ports[1];
    this.adminPassword = adminPassword;
    this.trustedCertificates = List.copyOf(trustedCertificates);
  }

  /**
   * Installs (when needed) and starts a Keycloak of the caller's own, which the caller closes.
   *
   * @param trustedCertificates PEM CA certificates Keycloak trusts for its outgoing HTTPS calls (back-channel
   *     logout to a gateway on https is sent only to a server it trusts)
   */
  public static KeycloakServer launch(List<Path> trustedCertificates) throws Exception {
    Path home = install(projectRoot());
    KeycloakServer server = new KeycloakServer(home, Files.createTempDirectory("gatehouse-keycloak"), freePorts(2),
        randomPassword(), trustedCertificates);
    try {
      server.start();
      return server;
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
  }

  /**
   * The JVM's Keycloak, started on first use and stopped by a shutdown hook; a setup failure is reported to every
   * caller. Tests that stop Keycloak or need it to trust a CA use {@link #launch} instead.
   */
  public static synchronized KeycloakServer shared() throws Exception {
    if (setupFailure != null) {
      throw new AssertionError("Keycloak could not be started (see the first failure)", setupFailure);
    }
    if (shared == null) {
      try {
        KeycloakServer server = launch(List.of());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
        shared = server;
      } catch (Exception | AssertionError e) {
        setupFailure = e;
        throw e;
      }
    }
    return shared;
  }

  public int port() { return port; }
  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() { return "http://127.0.0.1:" + port; }
  /** The test realm's issuer, as its tokens and discovery document name it. */
  public String issuer() { return baseUrl() + "/realms/" + TestRealm.NAME; }
  public URI discoveryUrl() { return URI.create(issuer() + "/.well-known/openid-configuration"); }
  public URI authorizationEndpoint() { return URI.create(issuer() + "/protocol/openid-connect/auth"); }
  public URI tokenEndpoint() { return URI.create(issuer() + "/protocol/openid-connect/token"); }
  public URI endSessionEndpoint() { return URI.create(issuer() + "/protocol/openid-connect/logout"); }
  public String clientId() { return TestRealm.GATEHOUSE_CLIENT_ID; }
  public String clientSecret() { return TestRealm.GATEHOUSE_CLIENT_SECRET; }
  public List<DemoUser> users() { return TestRealm.USERS; }
  /** Keycloak's console output, for a failed test's report. */
  public Path logFile() { return workDir.resolve("keycloak.log"); }
  /** How long the last {@link #start()} took until the realm's discovery document answered. */
  public synchronized Duration lastStartDuration() { return lastStart; }

  /** The admin API for the test realm, signed in as the bootstrap admin. */
  public KeycloakAdmin admin() {
    return new KeycloakAdmin(URI.create(baseUrl()), TestRealm.NAME, ADMIN_USERNAME, adminPassword);
  }

  /** The gateway's confidential client at the token endpoint. */
  public TokenEndpointClient gatehouseClient() {
    return new TokenEndpointClient(tokenEndpoint(), TestRealm.GATEHOUSE_CLIENT_ID, TestRealm.GATEHOUSE_CLIENT_SECRET);
  }

  /** The client whose access tokens are the n8n API's. */
  public TokenEndpointClient apiClient() {
    return new TokenEndpointClient(tokenEndpoint(), TestRealm.API_CLIENT_ID, TestRealm.API_CLIENT_SECRET);
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Starts Keycloak (again, on the same ports) with the realm imported afresh, and waits for its discovery. */
  public synchronized void start() throws Exception {
    if (running()) return;
    long started = System.nanoTime();
    writeRealmForImport();
    ProcessBuilder builder = new ProcessBuilder(command())
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    Map<String, String> env = builder.environment();
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    process = builder.start();
    awaitDiscovery();
    lastStart = Duration.ofNanos(System.nanoTime() - started);
    LOG.log(System.Logger.Level.INFO, "Keycloak ready on port {0} in {1} ms (log: {2})", port, lastStart.toMillis(),
        logFile());
  }

  /**
   * SIGTERM (Keycloak stops in about 3 s), SIGKILL after 20 s. kc.sh runs Keycloak's JVM as its child and passes
   * SIGTERM on; a SIGKILL would not be, so the JVM is killed by its own PID too.
   */
  public synchronized void stop() {
    if (process == null) return;
    List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    for (ProcessHandle child : children) child.destroyForcibly();
    process = null;
  }

  /** Stops Keycloak and deletes its working folder. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not delete {0}: {1}", workDir, e.getMessage());
    }
  }

  /**
   * kc.sh's command line. {@code --import-realm} would read the install's shared {@code data/import}, where another
   * test JVM's realm files could be; the system property it sets ({@code keycloak.migration.dir}) is given instead,
   * naming this instance's own folder. Narayana's object store moves there too, out of the shared install.
   */
  private List<String> command() {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
        "--db=dev-mem",
        "--http-host=127.0.0.1",
        "--http-port=" + port,
        "--http-management-port=" + managementPort,
        "-Dkeycloak.migration.dir=" + importDir(),
        "-Dquarkus.transaction-manager.object-store.directory=" + workDir.resolve("transaction-logs")));
    if (!trustedCertificates.isEmpty()) {
      command.add("--truststore-paths=" + trustedCertificates.stream().map(Path::toString)
          .collect(Collectors.joining(",")));
    }
    return command;
  }

  private Path importDir() {
    return workDir.resolve("import");
  }

  private void writeRealmForImport() throws IOException {
    Path importDir = importDir();
    Files.createDirectories(importDir);
    try (InputStream realm = KeycloakServer.class.getClassLoader().getResourceAsStream(TestRealm.RESOURCE)) {
      if (realm == null) throw new AssertionError(TestRealm.RESOURCE + " is not on the test class path");
      Files.copy(realm, importDir.resolve(TestRealm.NAME + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void awaitDiscovery() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest discovery = HttpRequest.newBuilder(discoveryUrl()).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("Keycloak exited while starting (status " + process.exitValue() + "); its log, "
            + logFile() + ", ends:\n" + logTail());
      }
      try {
        if (client.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException notYet) {
        // Not listening yet: keep polling.
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new AssertionError("Keycloak did not serve " + discoveryUrl() + " within " + READY_TIMEOUT.toSeconds()
            + " s; its log, " + logFile() + ", ends:\n" + logTail());
      }
      Thread.sleep(250);
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The Keycloak install folder: {@code -Dgatehouse.keycloak.home}, else what the install script prints. */
  private static Path install(Path root) throws Exception {
    String property = System.getProperty("gatehouse.keycloak.home", "").trim();
    Path home;
    if (!property.isEmpty()) {
      home = Path.of(property);
    } else {
      Path script = root.resolve("scripts/install-keycloak.sh");
      LOG.log(System.Logger.Level.INFO, "gatehouse.keycloak.home not set: running {0}", script);
      Process process = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.waitFor() != 0 || out.isEmpty()) {
        throw new AssertionError("Keycloak could not be installed by " + script + " (its messages are above). "
            + "It needs Maven and Maven Central (for org.keycloak:keycloak-quarkus-dist), unzip and a JDK 17; "
            + "install those and run the script, or pass -Dgatehouse.keycloak.home=<an install folder>.");
      }
      home = Path.of(out.lines().reduce((first, last) -> last).orElseThrow());
    }
    if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new AssertionError("no Keycloak install in " + home + " (expected bin/kc.sh): run "
          + "scripts/install-keycloak.sh and pass the folder it prints as -Dgatehouse.keycloak.home");
    }
    return home;
  }

  /** The repository root: the nearest folder above the working directory holding the install script. */
  private static Path projectRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("scripts/install-keycloak.sh"))) return dir;
    }
    throw new AssertionError("cannot find scripts/install-keycloak.sh above " + Path.of("").toAbsolutePath());
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

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
