package io.gatehouse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    // One line per log record, ISO time first, unless the operator configured java.util.logging otherwise.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    // Netty 4.2's default, the adaptive allocator, cost about 5 µs of CPU more per proxied 1 KiB request than the
    // pooled one (loadtest/profile.py: atomic queue offers on every buffer release). Read once, when Netty's
    // buffer classes load, so it is set before anything touches them; an operator's -D wins.
    if (System.getProperty("io.netty.allocator.type") == null) System.setProperty("io.netty.allocator.type", "pooled");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override public void run() {
    new CommandLine(this).usage(System.err);
  }

  /** The jar's implementation version, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"gatehouse " + (v == null ? "dev" : v)};
    }
  }
}
