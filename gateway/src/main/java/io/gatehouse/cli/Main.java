package io.gatehouse.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code java -jar gatehouse.jar <command>}: the commands of CONTRACT.md. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Security gateway in front of n8n.",
    subcommands = {
        RunCommand.class,
        CheckCommand.class,
        DevCertsCommand.class,
        KeygenCommand.class,
        SignWebhookCommand.class,
        VerifyLogCommand.class,
        AuditCommand.class,
        EvidenceCommand.class,
        ScrubCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  private static final java.util.logging.Logger AUTH_LOGGER =
      java.util.logging.Logger.getLogger("io.vertx.ext.auth.oauth2.impl.OAuth2AuthProviderImpl");

  public static void main(String[] args) {
    // One line per log record, ISO time first, unless the operator configured java.util.logging otherwise.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    // Netty 4.2's default, the adaptive allocator, cost about 5 µs of CPU more per proxied 1 KiB request than the
    // pooled one (loadtest/profile.py: atomic queue offers on every buffer release). Read once, when Netty's
    // buffer classes load, so it is set before anything touches them; an operator's -D wins.
    if (System.getProperty("io.netty.allocator.type") == null) System.setProperty("io.netty.allocator.type", "pooled");
    // vertx-auth-oauth2 logs a stack trace for every JWKS key it cannot use for signatures (Keycloak always
    // publishes an RSA-OAEP encryption key), at each discovery. Gatehouse verifies tokens with its own key reader,
    // which skips such keys silently; the library's warning is noise. Kept in a field: JUL holds loggers weakly.
    AUTH_LOGGER.setLevel(java.util.logging.Level.SEVERE);
    // UTF-8 whatever the locale: JDK 17 encodes System.out in the locale's charset, ASCII in a bare container, and
    // reports (evidence) and printed bodies (scrub) carry log text in any script.
    CommandLine commandLine = new CommandLine(new Main())
        .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    System.exit(commandLine.execute(args));
  }

  @Override public void run() {
    new CommandLine(this).usage(System.err);
  }

  /** The jar's implementation version, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      return new String[] {"gatehouse " + text()};
    }

    static String text() {
      String v = Main.class.getPackage().getImplementationVersion();
      return v == null ? "dev" : v;
    }
  }
}
