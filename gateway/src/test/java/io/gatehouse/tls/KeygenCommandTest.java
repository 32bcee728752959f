package io.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.KeygenCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {
  @TempDir
  Path dir;

  @Test
  void writesEd25519KeyThatSignsAndPublicKeyThatVerifies() throws Exception {
    Path prefix = dir.resolve("audit");
    StringWriter out = new StringWriter();

    int code = command(out, new StringWriter()).execute("--out", prefix.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains(dir.resolve("audit.key").toString(), dir.resolve("audit.pub").toString());
    PemObject keyPem = readPem(dir.resolve("audit.key"));
    PemObject pubPem = readPem(dir.resolve("audit.pub"));
    assertThat(keyPem.getType()).isEqualTo("PRIVATE KEY");
    assertThat(pubPem.getType()).isEqualTo("PUBLIC KEY");
    // Read back with the JDK's own provider: the files are standard RFC 8410 PKCS#8 and SubjectPublicKeyInfo.
    KeyFactory factory = KeyFactory.getInstance("Ed25519");
    PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(keyPem.getContent()));
    PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(pubPem.getContent()));
    byte[] checkpoint = "chain head 4f2a".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key);
    signer.update(checkpoint);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(pub);
    verifier.update(checkpoint);
    assertThat(verifier.verify(signature)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesToOverwriteExistingKeyWithExit1() throws Exception {
    Path prefix = dir.resolve("audit");
    command(new StringWriter(), new StringWriter()).execute("--out", prefix.toString());
    byte[] keyBefore = Files.readAllBytes(dir.resolve("audit.key"));
    byte[] pubBefore = Files.readAllBytes(dir.resolve("audit.pub"));
    StringWriter err = new StringWriter();

    int code = command(new StringWriter(), err).execute("--out", prefix.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("audit.key already exists; refusing to overwrite");
    assertThat(Files.readAllBytes(dir.resolve("audit.key"))).isEqualTo(keyBefore);
    assertThat(Files.readAllBytes(dir.resolve("audit.pub"))).isEqualTo(pubBefore);
  }

  @Test
  void refusesWhenOnlyThePublicHalfExists() throws Exception {
    Files.writeString(dir.resolve("audit.pub"), "published earlier\n");
    StringWriter err = new StringWriter();

    int code = command(new StringWriter(), err).execute("--out", dir.resolve("audit").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("audit.pub already exists");
    assertThat(dir.resolve("audit.key")).doesNotExist();
  }

  private static CommandLine command(StringWriter out, StringWriter err) {
    return new CommandLine(new KeygenCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
  }

  private static PemObject readPem(Path file) throws Exception {
    try (PemReader reader = new PemReader(Files.newBufferedReader(file))) {
      return reader.readPemObject();
    }
  }
}
