package io.gatehouse.guard.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free loopback port, without persistence. It can be stopped and
 * started again on the same ports, as an outage and a recovery look to clients. A machine without the binary fails
 * the test with the install hint: the test command installs it (Debian's {@code redis-server}).
 *
 * <p>Started with {@link Security}, it is secured the way the README asks of a production Redis: TLS on a port of its
 * own, the {@code default} user off, and one ACL user limited to Gatehouse's {@code gatehouse:} keys and channels.
 * Its plain port stays open for {@link #command}, which logs in as an admin user of the test's own.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  /** What the README suggests for Gatehouse's user: its own keys and channels, no dangerous commands. */
  public static final List<String> GATEHOUSE_ACL = List.of("~gatehouse:*", "&gatehouse:*", "+@all", "-@dangerous");
  private static final String ADMIN_USER = "test-admin";
  private static final String ADMIN_PASSWORD = "test-admin-password-0123";

  /**
   * TLS and the ACL user of a secured server.
   *
   * @param certificate the server's chain and key
   * @param caFile the CA client certificates must come from (redis needs one even when it asks for none)
   * @param requireClientCertificate {@code --tls-auth-clients yes}
   */
  public record Security(RedisTestPki.CertAndKey certificate, Path caFile, boolean requireClientCertificate,
      String user, String password) {}

  private final Path binary;
  private final int port;
  private final int tlsPort;
  private final Optional<Security> security;
  private Process process;

  private RedisServer(Path binary, int port, int tlsPort, Optional<Security> security) {
    this.binary = binary;
    this.port = port;
    this.tlsPort = tlsPort;
    this.security = security;
  }

  /** Starts a server on a free loopback port. */
  public static RedisServer start() throws IOException, InterruptedException {
    RedisServer server = new RedisServer(findBinary(), freePort(), 0, Optional.empty());
    server.startAgain();
    return server;
  }

  /** Starts a server with TLS on a second free port and the ACL user of {@code security}. */
  public static RedisServer start(Security security) throws IOException, InterruptedException {
    RedisServer server = new RedisServer(findBinary(), freePort(), freePort(), Optional.of(security));
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** {@code rediss://127.0.0.1:TLS_PORT}, for a server started with {@link Security}. */
  public String tlsUrl() {
    if (security.isEmpty()) throw new IllegalStateException("started without TLS");
    return "rediss://127.0.0.1:" + tlsPort;
  }

  /** Stops the server (SIGTERM) and waits until it is gone and its port is closed. */
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    process = null;
  }

  /** Starts the server again on the same port, empty; returns once it answers PING. */
  public void startAgain() throws IOException, InterruptedException {
    if (process != null) throw new IllegalStateException("already running");
    List<String> args = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
        "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"));
    security.ifPresent(s -> args.addAll(securityArgs(s)));
    process = new ProcessBuilder(args)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!"+PONG".equals(command("PING"))) {
      if (!process.isAlive()) throw new IllegalStateException("redis-server exited with " + process.exitValue());
      if (System.nanoTime() > deadline) throw new IllegalStateException("redis-server did not answer on " + port);
      Thread.sleep(20);
    }
  }

  /** Each {@code --user} is one ACL line; redis-server joins the words up to the next {@code --} option. */
  private List<String> securityArgs(Security s) {
    List<String> args = new ArrayList<>(List.of("--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", s.certificate().cert().toString(), "--tls-key-file", s.certificate().key().toString(),
        "--tls-ca-cert-file", s.caFile().toString(), "--tls-auth-clients", s.requireClientCertificate() ? "yes" : "no",
        "--user", "default", "off",
        "--user", ADMIN_USER, "on", ">" + ADMIN_PASSWORD, "~*", "&*", "+@all",
        "--user", s.user(), "on", ">" + s.password()));
    args.addAll(GATEHOUSE_ACL);
    return args;
  }

  /**
   * Sends one inline command and returns the first line of the reply, or null when the server cannot be reached.
   * Enough for PING, DBSIZE, KEYS and PTTL in assertions.
   */
  public String command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      StringBuilder resp = new StringBuilder();
      if (security.isPresent()) append(resp, "AUTH", ADMIN_USER, ADMIN_PASSWORD);
      append(resp, words);
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      if (security.isPresent()) {
        String auth = readReply(in);
        if (!"+OK".equals(auth)) throw new IllegalStateException("the test's admin login failed: " + auth);
      }
      return readReply(in);
    } catch (IOException e) {
      return null;
    }
  }

  private static void append(StringBuilder resp, String... words) {
    resp.append('*').append(words.length).append("\r\n");
    for (String word : words) resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
  }

  /** A simple reply line, or for an array the elements joined by a space. */
  private static String readReply(InputStream in) throws IOException {
    String first = line(in);
    if (first.startsWith("$")) return Integer.parseInt(first.substring(1)) < 0 ? null : line(in);
    if (!first.startsWith("*")) return first;
    int n = Integer.parseInt(first.substring(1));
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < n; i++) {
      line(in); // $len
      if (i > 0) joined.append(' ');
      joined.append(line(in));
    }
    return joined.toString();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') break;
      if (c != '\r') s.append((char) c);
    }
    return s.toString();
  }

  private static Path findBinary() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin:/usr/local/bin").split(":")) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) return candidate;
    }
    throw new IllegalStateException("redis-server is not installed; install it with"
        + " `scripts/install-system-packages.sh redis-server`"
        + " (or: apt-get update && apt-get install -y --no-install-recommends redis-server)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override public void close() throws InterruptedException {
    stop();
  }

  /** For assertions on what is stored. */
  public List<String> keys(String pattern) {
    String reply = command("KEYS", pattern);
    return reply == null || reply.isEmpty() ? List.of() : List.of(reply.split(" "));
  }
}
