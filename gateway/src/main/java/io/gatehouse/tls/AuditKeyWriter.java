package io.gatehouse.tls;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Writes a new Ed25519 key pair for signing audit checkpoints: {@code PREFIX.key} (PKCS#8 PEM, mode 0600 from
 * creation) and {@code PREFIX.pub} (SubjectPublicKeyInfo PEM, for {@code verify-log}). The formats are the ones
 * {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write, so either tool can read the
 * other's keys.
 */
public final class AuditKeyWriter {
  private final SecureRandom random;

  public AuditKeyWriter() {
    this(new SecureRandom());
  }

  public AuditKeyWriter(SecureRandom random) {
    this.random = random;
  }

  /** The two files written for {@code prefix}. */
  public record Written(Path privateKey, Path publicKey) {}

  /**
   * Generates and writes the pair.
   *
   * @throws FileAlreadyExistsException if either file exists: a signing key is never overwritten, since losing
   *     it would make past checkpoints unverifiable against the published public key
   */
  public Written write(Path prefix) throws IOException {
    Path keyFile = sibling(prefix, ".key");
    Path pubFile = sibling(prefix, ".pub");
    for (Path file : List.of(keyFile, pubFile)) {
      if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite");
    }
    Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
    generator.init(new Ed25519KeyGenerationParameters(random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    Ed25519PrivateKeyParameters privateKey = (Ed25519PrivateKeyParameters) pair.getPrivate();
    Ed25519PublicKeyParameters publicKey = (Ed25519PublicKeyParameters) pair.getPublic();
    AlgorithmIdentifier ed25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
    // RFC 8410 PKCS#8 v1 (seed only, no embedded public key): the form every Ed25519 reader accepts.
    byte[] pkcs8 = new PrivateKeyInfo(ed25519, new DEROctetString(privateKey.getEncoded())).getEncoded();
    byte[] spki = new SubjectPublicKeyInfo(ed25519, publicKey.getEncoded()).getEncoded();
    PemFileWriter.createNew(keyFile, PemFileWriter.pem("PRIVATE KEY", pkcs8), PemFileWriter.PRIVATE);
    try {
      PemFileWriter.createNew(pubFile, PemFileWriter.pem("PUBLIC KEY", spki), PemFileWriter.PUBLIC);
    } catch (IOException e) {
      // Without its public half the private key is of no use to anyone; do not leave it behind.
      Files.deleteIfExists(keyFile);
      throw e;
    }
    return new Written(keyFile, pubFile);
  }

  private static Path sibling(Path prefix, String suffix) {
    return prefix.resolveSibling(prefix.getFileName() + suffix);
  }
}
