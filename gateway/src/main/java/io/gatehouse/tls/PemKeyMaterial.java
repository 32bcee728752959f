package io.gatehouse.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A server certificate chain and its private key, read from PEM files and checked to belong together.
 *
 * <p>The key may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY},
 * optionally after {@code EC PARAMETERS}). It is re-encoded once as PKCS#8, which both the JDK and the OpenSSL
 * engine accept, so the rest of the gateway has a single code path whatever the operator supplied. Encrypted keys
 * are refused: the gateway has nowhere safe to keep a passphrase that would be better than the file mode.
 */
public final class PemKeyMaterial {
  private final List<X509Certificate> chain;
  private final PrivateKey privateKey;

  private PemKeyMaterial(List<X509Certificate> chain, PrivateKey privateKey) {
    this.chain = List.copyOf(chain);
    this.privateKey = privateKey;
  }

  /** Reads both files from disk; call it off the event loop. */
  public static PemKeyMaterial read(Path certFile, Path keyFile) throws TlsMaterialException {
    return parse(certFile, readFile(certFile), keyFile, readFile(keyFile));
  }

  /**
   * Parses already-read file contents.
   *
   * @param certFile names the certificate file in error messages
   * @param keyFile names the key file in error messages
   */
  public static PemKeyMaterial parse(Path certFile, byte[] certPem, Path keyFile, byte[] keyPem)
      throws TlsMaterialException {
    List<X509Certificate> chain = PemCertificates.parse(certFile, certPem);
    checkChainOrder(certFile, chain);
    PrivateKey key = PemPrivateKeys.parse(keyFile, keyPem);
    checkKeyMatches(certFile, keyFile, chain.get(0), key);
    return new PemKeyMaterial(chain, key);
  }

  static byte[] readFile(Path file) throws TlsMaterialException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsMaterialException(file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The chain as read, leaf first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Package-private: only this package (the dev CA) needs the key object itself. */
  PrivateKey privateKey() {
    return privateKey;
  }

  public String subject() {
    return leaf().getSubjectX500Principal().getName();
  }

  public BigInteger serial() {
    return leaf().getSerialNumber();
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  private static void checkChainOrder(Path certFile, List<X509Certificate> chain) throws TlsMaterialException {
    for (int i = 0; i + 1 < chain.size(); i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new TlsMaterialException(certFile + ": certificate " + (i + 2) + " does not sign certificate "
            + (i + 1) + "; the chain must be the server certificate first, then each issuer in order");
      }
    }
  }

  /** Proves possession: the key signs a random challenge that the leaf's public key verifies. */
  private static void checkKeyMatches(Path certFile, Path keyFile, X509Certificate leaf, PrivateKey key)
      throws TlsMaterialException {
    PublicKey publicKey = leaf.getPublicKey();
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new TlsMaterialException(keyFile + ": unsupported key algorithm " + key.getAlgorithm()
          + " (expected RSA or EC)");
    };
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      throw new TlsMaterialException(keyFile + ": the " + key.getAlgorithm() + " private key does not match the "
          + publicKey.getAlgorithm() + " certificate " + leaf.getSubjectX500Principal().getName() + " in " + certFile);
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsMaterialException(keyFile + ": the private key does not match the certificate "
          + leaf.getSubjectX500Principal().getName() + " (first certificate in " + certFile + ")");
    }
  }
}
