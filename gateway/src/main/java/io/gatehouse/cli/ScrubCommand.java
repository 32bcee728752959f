package io.gatehouse.cli;

import io.gatehouse.audit.capture.PayloadPreview;
import io.gatehouse.audit.scrub.ScrubPolicy;
import io.gatehouse.audit.scrub.ScrubResult;
import io.gatehouse.audit.scrub.Scrubber;
import io.gatehouse.config.AuditConfig;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.ConfigProblem;
import io.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse scrub}: what the audit log would hold of a body, so an operator can try a real payload before a
 * route logs payloads. Reads at most {@code audit.scrub.max_payload} of it for scrubbing, as the gateway does; the
 * rest is only counted and put through the HMAC.
 */
@Command(name = "scrub", mixinStandardHelpOptions = true,
    description = {
        "Prints what Gatehouse would log of a body after PHI scrubbing: the fields of its payload entries, one a line",
        "(content type, size, HMAC, redactions per identifier type, and the scrubbed text in pieces of at most 4,096",
        "characters), then the counts per type, one a line.",
        "With --config, its audit.scrub keys and the HMAC key the gateway derives from audit.signing_key; without,",
        "the built-in rules and a random HMAC key (that HMAC then matches nothing the gateway writes)."})
public final class ScrubCommand implements Callable<Integer> {
  private final InputStream stdin;

  @Spec
  private CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "the gateway's config (its audit.scrub section)")
  private Path config;

  @Option(names = "--file", paramLabel = "BODY", description = "the body (default: standard input)")
  private Path file;

  @Option(names = "--content-type", paramLabel = "TYPE", defaultValue = "application/json",
      description = "the body's Content-Type (default: ${DEFAULT-VALUE})")
  private String contentType;

  public ScrubCommand() {
    this(System.in);
  }

  ScrubCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ScrubPolicy policy;
    byte[] body;
    try {
      policy = policy(err);
      if (policy == null) return 2;
      body = file == null ? stdin.readAllBytes() : Files.readAllBytes(file);
    } catch (IOException e) {
      err.println("scrub: " + e.getMessage());
      return 2;
    }
    PayloadPreview.Preview preview = PayloadPreview.of(new Scrubber(policy), contentType, body);
    preview.entries().forEach(out::println);
    ScrubResult result = preview.result();
    if (result.redactions() == 0) out.println("no redactions");
    result.counts().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.println(e.getKey().name() + " " + e.getValue()));
    out.flush();
    return 0;
  }

  /** The policy of the config's audit.scrub section, or the defaults; null (after saying why) when it is unusable. */
  private ScrubPolicy policy(PrintWriter err) throws IOException {
    if (config == null) {
      AuditConfig.Scrub scrub = AuditConfig.Scrub.DEFAULTS;
      return Scrubbers.policy(scrub, randomKey());
    }
    var loaded = ConfigLoader.load(config, System::getenv);
    if (loaded.config().isEmpty()) {
      for (ConfigProblem problem : loaded.problems()) err.println(problem.format());
      return null;
    }
    GatehouseConfig gatehouse = loaded.config().get();
    AuditConfig.Scrub scrub = gatehouse.audit().scrub();
    byte[] key = gatehouse.audit().signingKey().isPresent() ? Scrubbers.hmacKey(gatehouse) : randomKey();
    return Scrubbers.policy(scrub, key);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
