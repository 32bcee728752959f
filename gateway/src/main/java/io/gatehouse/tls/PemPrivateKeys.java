package io.gatehouse.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads exactly one unencrypted private key from PEM: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, optionally after {@code EC PARAMETERS}). Error
 * messages name the file and the problem; no exception raised here carries a cause, since a parser's message
 * could quote the key.
 */
final class PemPrivateKeys {
  private PemPrivateKeys() {}

  static PrivateKey parse(Path keyFile, byte[] pem) throws TlsMaterialException {
    PrivateKeyInfo found = null;
    ASN1ObjectIdentifier curve = null;
    int keys = 0;
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      for (Object item = readNext(parser, keyFile); item != null; item = readNext(parser, keyFile)) {
        if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new TlsMaterialException(keyFile + ": the private key is encrypted; Gatehouse needs an unencrypted"
              + " key protected by file permissions (e.g. `openssl pkey -in KEY -out KEY.plain`, then chmod 600)");
        } else if (item instanceof PEMKeyPair pair) {
          found = pair.getPrivateKeyInfo();
          keys++;
        } else if (item instanceof PrivateKeyInfo info) {
          found = info;
          keys++;
        } else if (item instanceof ASN1ObjectIdentifier namedCurve) {
          curve = namedCurve; // EC PARAMETERS ahead of an SEC1 key
        } else if (!(item instanceof X9ECParameters || item instanceof X509CertificateHolder)) {
          // Explicit curve parameters or a certificate kept in the same file are skipped; anything else is odd.
          throw new TlsMaterialException(keyFile + ": unexpected PEM block (" + item.getClass().getSimpleName()
              + "); expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");
        }
      }
    } catch (IOException e) {
      throw new TlsMaterialException(keyFile + ": not a readable PEM private key");
    }
    if (keys == 0) {
      throw new TlsMaterialException(keyFile + ": no PEM private key found (expected PRIVATE KEY, RSA PRIVATE KEY"
          + " or EC PRIVATE KEY)");
    }
    if (keys > 1) {
      throw new TlsMaterialException(keyFile + ": " + keys + " private keys found; expected exactly one");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(withCurve(found, curve));
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(keyFile + ": unsupported or malformed private key (expected RSA or EC)");
    }
  }

  private static Object readNext(PEMParser parser, Path keyFile) throws TlsMaterialException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new TlsMaterialException(keyFile + ": malformed PEM block (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * An SEC1 key may leave its curve to a preceding EC PARAMETERS block; the JDK needs the curve in the key's
   * algorithm identifier, so it is moved there.
   */
  private static PrivateKeyInfo withCurve(PrivateKeyInfo info, ASN1ObjectIdentifier curve) throws IOException {
    AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
    boolean ecWithoutCurve = X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
        && (algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null);
    if (!ecWithoutCurve || curve == null) return info;
    return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
        info.parsePrivateKey());
  }
}
