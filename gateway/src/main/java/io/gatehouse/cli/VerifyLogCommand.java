package io.gatehouse.cli;

import io.gatehouse.audit.prove.ProofCheck;
import io.gatehouse.audit.verify.Finding;
import io.gatehouse.audit.verify.LogVerifier;
import io.gatehouse.audit.verify.PublicKeyWindow;
import io.gatehouse.config.ValueParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse verify-log}: checks audit logs from their files, a public key and optionally a witness. */
@Command(name = "verify-log", mixinStandardHelpOptions = true,
    description = {
        "Verifies audit logs: every entry in order and unaltered, every checkpoint the signed root of the entries",
        "before it, no fork or rollback, and with --witness nothing removed that the witness saw. Prints one line",
        "per finding, VERDICT file:line detail, then OK <entries> entries, <checkpoints> checkpoints when intact.",
        "Exit status: 0 intact, 1 tampering or gaps found, 2 cannot read."})
public final class VerifyLogCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", description = "a replica's audit.dir (repeat for several)")
  private List<Path> dirs = List.of();

  @Option(names = "--proof", paramLabel = "FILE", description = "a proof printed by gatehouse audit prove (repeatable)")
  private List<Path> proofs = List.of();

  @Option(names = "--public-key", required = true, paramLabel = "PEM[@FROM..UNTIL]",
      description = "a signing key's public half; repeat for rotated keys, each with its validity window")
  private List<String> publicKeys;

  @Option(names = "--witness", paramLabel = "DIR", description = "audit.witness.dir: checkpoints kept elsewhere")
  private Path witness;

  @Option(names = "--max-staleness", paramLabel = "DURATION",
      description = "a latest checkpoint older than this is a finding (e.g. 5m): the log stopped, or its tail was cut")
  private String maxStaleness;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<PublicKeyWindow> keys = new ArrayList<>();
    Optional<Duration> staleness;
    try {
      for (String key : publicKeys) keys.add(PublicKeyOption.read(key));
      staleness = maxStaleness == null ? Optional.empty() : Optional.of(ValueParser.parseDuration(maxStaleness));
    } catch (IOException | IllegalArgumentException e) {
      err.println("verify-log: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (dirs.isEmpty() && proofs.isEmpty()) {
      err.println("verify-log: give --dir DIR (a log) or --proof FILE (a proof), or both");
      err.flush();
      return 2;
    }
    boolean proofsHold = true;
    for (Path proof : proofs) {
      try {
        List<String> problems = ProofCheck.check(proof, keys);
        for (String problem : problems) out.println("BAD_PROOF " + proof + ":1 " + problem);
        if (problems.isEmpty()) out.println("PROOF_OK " + proof);
        proofsHold &= problems.isEmpty();
      } catch (IOException e) {
        err.println("verify-log: cannot read " + proof + ": " + e.getMessage());
        err.flush();
        out.flush();
        return 2;
      }
    }
    LogVerifier verifier = new LogVerifier(keys, Optional.ofNullable(witness), staleness, Instant.now());
    long entries = 0;
    long checkpoints = 0;
    boolean intact = true;
    for (Path dir : dirs) {
      LogVerifier.Result result;
      try {
        result = verifier.verify(dir);
      } catch (IOException e) {
        err.println("verify-log: cannot read " + dir + ": " + e.getMessage());
        err.flush();
        out.flush();
        return 2;
      }
      for (Finding finding : result.findings()) out.println(finding.format());
      entries += result.entries();
      checkpoints += result.checkpoints();
      intact &= result.intact();
    }
    if (intact && !dirs.isEmpty()) out.println("OK " + entries + " entries, " + checkpoints + " checkpoints");
    out.flush();
    return intact && proofsHold ? 0 : 1;
  }
}
