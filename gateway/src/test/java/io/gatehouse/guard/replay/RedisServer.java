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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, on a free loopback port, without persistence. It can be stopped and
 * started again on the same port, as an outage and a recovery look to clients. A machine without the binary fails
 * the test with the install hint: the test command installs it (Debian's {@code redis-server}).
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Path binary;
  private final int port;
  private Process process;

  private RedisServer(Path binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  /** Starts a server on a free loopback port. */
  public static RedisServer start() throws IOException, InterruptedException {
    RedisServer server = new RedisServer(findBinary(), freePort());
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
    process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes")
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

  /**
   * Sends one inline command and returns the first line of the reply, or null when the server cannot be reached.
   * Enough for PING, DBSIZE, KEYS and PTTL in assertions.
   */
  public String command(String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
      for (String word : words) resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return readReply(socket.getInputStream());
    } catch (IOException e) {
      return null;
    }
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
