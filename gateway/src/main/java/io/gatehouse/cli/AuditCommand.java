package io.gatehouse.cli;

import io.gatehouse.audit.prove.Proofs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse audit}: tools over the signed audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = AuditCommand.Prove.class,
    description = "Tools over the signed audit log (see prove).")
public final class AuditCommand implements Runnable {
  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code audit prove}: an inclusion or a consistency proof, as JSON on stdout. */
  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = {
          "Prints, as JSON, the inclusion proof of entry --seq in a checkpoint (the log's latest by default), or",
          "with --consistency OLD NEW the proof that NEW's tree extends OLD's. Check either with",
          "gatehouse verify-log --proof FILE --public-key PEM. Exit status: 0, or 1 when no proof can be made."})
  static final class Prove implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the replica's audit.dir")
    private Path dir;

    @Option(names = "--seq", paramLabel = "N", description = "the entry's sequence number")
    private Long seq;

    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "a checkpoint (its signed note, or a checkpoint line from a segment or witness file)")
    private Path checkpoint;

    @Option(names = "--consistency", arity = "2", paramLabel = "CHECKPOINT",
        description = "two checkpoint files, older first")
    private List<Path> consistency;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        if ((seq == null) == (consistency == null)) {
          err.println("audit prove: give either --seq N or --consistency OLD NEW");
          return 1;
        }
        var proof = consistency != null
            ? Proofs.consistency(dir, Proofs.readCheckpointFile(consistency.get(0)),
                Proofs.readCheckpointFile(consistency.get(1)))
            : Proofs.inclusion(dir, seq, checkpoint == null ? Optional.empty()
                : Optional.of(Proofs.readCheckpointFile(checkpoint)));
        out.println(Proofs.JSON_PRETTY.writeValueAsString(proof));
        return 0;
      } catch (Proofs.ProofException e) {
        err.println("audit prove: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        err.println("audit prove: cannot read " + e.getMessage());
        return 1;
      } finally {
        out.flush();
        err.flush();
      }
    }
  }
}
