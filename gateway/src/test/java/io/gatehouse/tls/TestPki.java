package io.gatehouse.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.security.interfaces.ECPrivateKey;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A throwaway CA for tests, and the PEM spellings of private keys that operators bring. */
final class TestPki {
  enum KeyFormat {
    PKCS8,
    /** RSA PRIVATE KEY for RSA keys. */
    PKCS1,
    /** EC PRIVATE KEY with the curve and the public key inside, as {@code openssl ec} writes it. */
    SEC1,
    /** EC PARAMETERS then EC PRIVATE KEY, as {@code openssl ecparam -genkey} writes it. */
    SEC1_AFTER_PARAMS,
    /** EC PARAMETERS then an EC PRIVATE KEY that leaves the curve to that first block. */
    SEC1_CURVE_ONLY_IN_PARAMS,
    ENCRYPTED_PKCS8,
    ENCRYPTED_LEGACY
  }

  /** A certificate with its key pair. */
  record Issued(X509Certificate certificate, KeyPair keys) {
    BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  final Issued ca;

  private TestPki(Issued ca) {
    this.ca = ca;
  }

  static TestPki create(String name) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    X509Certificate cert = CertificateIssuer.selfSigned(CertificateIssuer.Request.of("CN=" + name, keys.getPublic(),
        CertificateIssuer.Purpose.CA, now.minusSeconds(60), now.plus(Duration.ofDays(30))), keys.getPrivate());
    return new TestPki(new Issued(cert, keys));
  }

  Issued server(KeyPair keys) {
    Instant now = Instant.now();
    CertificateIssuer.Request request = CertificateIssuer.Request.of("CN=localhost,O=Test", keys.getPublic(),
            CertificateIssuer.Purpose.SERVER, now.minusSeconds(60), now.plus(Duration.ofDays(30)))
        .withSubjectAltNames(List.of("localhost"), List.of("127.0.0.1"));
    return new Issued(CertificateIssuer.issue(request, ca.certificate(), ca.keys().getPrivate()), keys);
  }

  Issued serverEc() {
    return server(CertificateIssuer.newEcKeyPair());
  }

  Issued client(String subjectDn) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    return new Issued(CertificateIssuer.issue(CertificateIssuer.Request.of(subjectDn, keys.getPublic(),
        CertificateIssuer.Purpose.CLIENT, now.minusSeconds(60), now.plus(Duration.ofDays(30))),
        ca.certificate(), ca.keys().getPrivate()), keys);
  }

  /** Writes {@code leaf} + CA chain and the key in PKCS#8 to {@code dir/name.crt} and {@code dir/name.key}. */
  Path[] write(Path dir, String name, Issued leaf) throws IOException {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    writeAtomically(key, keyPem(leaf.keys().getPrivate(), KeyFormat.PKCS8));
    writeAtomically(cert, chainPem(leaf.certificate(), ca.certificate()));
    return new Path[] {cert, key};
  }

  Path writeCa(Path dir, String name) throws IOException {
    Path file = dir.resolve(name);
    writeAtomically(file, chainPem(ca.certificate()));
    return file;
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".w", ".tmp");
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String chainPem(X509Certificate... certificates) {
    return PemCertificates.encode(List.of(certificates));
  }

  static String keyPem(PrivateKey key, KeyFormat format) {
    return keyPem(new KeyPair(null, key), format);
  }

  static String keyPem(KeyPair keys, KeyFormat format) {
    PrivateKey key = keys.getPrivate();
    StringWriter out = new StringWriter();
    char[] passphrase = "correct horse".toCharArray();
    BouncyCastleProvider bc = new BouncyCastleProvider();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      switch (format) {
        case PKCS8 -> writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        // BouncyCastle writes a bare RSA PrivateKey in its traditional form, RSA PRIVATE KEY.
        case PKCS1 -> writer.writeObject(key);
        case SEC1 -> writer.writeObject(new PemObject("EC PRIVATE KEY", sec1(keys, true)));
        case SEC1_AFTER_PARAMS -> {
          writer.writeObject(new PemObject("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded()));
          writer.writeObject(new PemObject("EC PRIVATE KEY", sec1(keys, true)));
        }
        case SEC1_CURVE_ONLY_IN_PARAMS -> {
          writer.writeObject(new PemObject("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded()));
          writer.writeObject(new PemObject("EC PRIVATE KEY", sec1(keys, false)));
        }
        case ENCRYPTED_PKCS8 -> writer.writeObject(new JcaPKCS8Generator(key,
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(bc).setPassword(passphrase)
                .build()));
        case ENCRYPTED_LEGACY -> writer.writeObject(new JcaMiscPEMGenerator(key,
            new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(bc).build(passphrase)));
        default -> throw new IllegalArgumentException(format.toString());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** RFC 5915 ECPrivateKey for a P-256 key pair. */
  private static byte[] sec1(KeyPair keys, boolean withCurve) throws IOException {
    ECPrivateKey key = (ECPrivateKey) keys.getPrivate();
    DERBitString publicKey = keys.getPublic() == null ? null
        : new DERBitString(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData()
            .getOctets());
    X962Parameters curve = withCurve ? new X962Parameters(SECObjectIdentifiers.secp256r1) : null;
    return new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicKey, curve).getEncoded();
  }

  /** A client context trusting {@code trusted}; with {@code client} it also presents that certificate. */
  static SSLContext clientContext(X509Certificate trusted, Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.keys().getPrivate(), new char[0],
          new Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
