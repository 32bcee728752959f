package io.gatehouse.cli;

import io.gatehouse.tls.DevCertificateWriter;
import io.gatehouse.tls.TlsMaterialException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse dev-certs --out DIR}: a development CA and a localhost server certificate. */
@Command(name = "dev-certs", mixinStandardHelpOptions = true,
    description = {
        "Writes a development CA (ca.crt, ca.key) and a server certificate for localhost, 127.0.0.1 and ::1",
        "(server.crt, server.key), EC P-256 PEM, keys mode 0600. An existing CA in DIR is reused.",
        "For development only: never use these files in production, never commit the keys."})
public final class DevCertsCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into")
  private Path out;

  @Option(names = "--client", paramLabel = "CN", arity = "0..1", fallbackValue = "dev-client",
      description = "also write client.crt/client.key for mTLS testing (subject CN=${FALLBACK-VALUE} by default)")
  private String clientCommonName;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    DevCertificateWriter writer = new DevCertificateWriter();
    DevCertificateWriter.Result result;
    try {
      result = clientCommonName == null
          ? writer.writeServer(out)
          : writer.writeServerAndClient(out, clientCommonName);
    } catch (IOException | TlsMaterialException e) {
      stderr.println("dev-certs: " + e.getMessage());
      return 1;
    }
    if (result.caReused()) stdout.println("reused CA " + result.caCert());
    result.written().forEach(file -> stdout.println("wrote " + file));
    stdout.println("trust the CA: curl --cacert " + result.caCert()
        + " https://localhost:8443/ ; in a browser, import it as an authority (see certs-dev/README.md)");
    stdout.flush();
    return 0;
  }
}
