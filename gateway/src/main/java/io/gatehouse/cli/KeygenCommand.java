package io.gatehouse.cli;

import io.gatehouse.tls.AuditKeyWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse keygen --out PREFIX}: an Ed25519 key pair for signing audit checkpoints. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {
        "Writes an Ed25519 audit signing key: PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (public key PEM,",
        "for verify-log). Refuses to overwrite an existing key."})
public final class KeygenCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "PREFIX",
      description = "path prefix; .key and .pub are appended")
  private Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    try {
      AuditKeyWriter.Written written = new AuditKeyWriter().write(out);
      stdout.println("wrote " + written.privateKey() + " (keep secret, mode 0600)");
      stdout.println("wrote " + written.publicKey() + " (for verify-log --public-key)");
      stdout.flush();
      return 0;
    } catch (FileAlreadyExistsException e) {
      stderr.println("keygen: " + e.getFile() + " already exists; refusing to overwrite a signing key"
          + " (move it away first if you really mean to replace it)");
      return 1;
    } catch (IOException e) {
      stderr.println("keygen: cannot write " + out + ": " + e.getMessage());
      return 1;
    }
  }
}
