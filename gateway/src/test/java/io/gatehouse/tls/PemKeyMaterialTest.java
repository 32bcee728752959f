package io.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.tls.TestPki.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeyMaterialTest {
  private static final TestPki PKI = TestPki.create("Test CA");

  @TempDir
  Path dir;

  // Plain @Test methods rather than @ParameterizedTest: the build's vertx-junit5 pulls an older JUnit platform
  // that cannot run junit-jupiter-params 5.12 (reported to the lead).
  @Test
  void readsRsaKeyInPkcs8() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newRsaKeyPair(2048), KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void readsRsaKeyInPkcs1() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newRsaKeyPair(2048), KeyFormat.PKCS1,
        "-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void readsEcKeyInPkcs8() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newEcKeyPair(), KeyFormat.PKCS8, "-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void readsEcKeyInSec1() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newEcKeyPair(), KeyFormat.SEC1,
        "-----BEGIN EC PRIVATE KEY-----");
  }

  @Test
  void readsEcKeyInSec1AfterEcParameters() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newEcKeyPair(), KeyFormat.SEC1_AFTER_PARAMS,
        "-----BEGIN EC PARAMETERS-----");
  }

  @Test
  void readsEcKeyInSec1WhoseCurveIsOnlyInEcParameters() throws Exception {
    assertReadsAndReencodes(CertificateIssuer.newEcKeyPair(), KeyFormat.SEC1_CURVE_ONLY_IN_PARAMS,
        "-----BEGIN EC PARAMETERS-----");
  }

  private void assertReadsAndReencodes(KeyPair keys, KeyFormat format, String expectedHeader) throws Exception {
    TestPki.Issued leaf = PKI.server(keys);
    Path cert = write("server.crt", TestPki.chainPem(leaf.certificate(), PKI.ca.certificate()));
    Path key = write("server.key", TestPki.keyPem(keys, format));
    assertThat(Files.readString(key)).startsWith(expectedHeader);

    PemKeyMaterial material = PemKeyMaterial.read(cert, key);

    assertThat(material.privateKey().getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
    assertThat(secretOf(material.privateKey())).isEqualTo(secretOf(keys.getPrivate()));
    assertThat(material.chain()).containsExactly(leaf.certificate(), PKI.ca.certificate());
    assertThat(material.serial()).isEqualTo(leaf.serial());
    assertThat(material.subject()).isEqualTo("CN=localhost,O=Test");
    assertThat(material.notAfter()).isEqualTo(leaf.certificate().getNotAfter().toInstant());
    assertThat(material.privateKey().getFormat()).isEqualTo("PKCS#8");
    assertThat(PemCertificates.encode(material.chain()))
        .isEqualTo(TestPki.chainPem(leaf.certificate(), PKI.ca.certificate()));
  }

  @Test
  void refusesKeyThatDoesNotMatchTheLeafCertificate() throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path cert = write("server.crt", TestPki.chainPem(leaf.certificate()));
    KeyPair other = CertificateIssuer.newEcKeyPair();
    Path key = write("server.key", TestPki.keyPem(other.getPrivate(), KeyFormat.PKCS8));

    assertThatThrownBy(() -> PemKeyMaterial.read(cert, key))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("does not match the certificate CN=localhost,O=Test")
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(other.getPrivate().getEncoded()).substring(0, 20));
  }

  @Test
  void refusesRsaKeyForEcCertificate() throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path cert = write("server.crt", TestPki.chainPem(leaf.certificate()));
    Path key = write("server.key", TestPki.keyPem(CertificateIssuer.newRsaKeyPair(2048).getPrivate(), KeyFormat.PKCS8));

    assertThatThrownBy(() -> PemKeyMaterial.read(cert, key))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("does not match");
  }

  @Test
  void refusesEncryptedPkcs8KeyWithClearMessage() throws Exception {
    assertRefusedAsEncrypted(KeyFormat.ENCRYPTED_PKCS8, "ENCRYPTED PRIVATE KEY");
  }

  @Test
  void refusesLegacyEncryptedKeyWithClearMessage() throws Exception {
    assertRefusedAsEncrypted(KeyFormat.ENCRYPTED_LEGACY, "Proc-Type: 4,ENCRYPTED");
  }

  private void assertRefusedAsEncrypted(KeyFormat format, String marker) throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path cert = write("server.crt", TestPki.chainPem(leaf.certificate()));
    Path key = write("server.key", TestPki.keyPem(leaf.keys().getPrivate(), format));
    assertThat(Files.readString(key)).contains(marker);

    assertThatThrownBy(() -> PemKeyMaterial.read(cert, key))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageStartingWith(key + ": the private key is encrypted");
  }

  @Test
  void refusesChainWithIssuerBeforeLeaf() throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path cert = write("server.crt", TestPki.chainPem(PKI.ca.certificate(), leaf.certificate()));
    Path key = write("server.key", TestPki.keyPem(leaf.keys().getPrivate(), KeyFormat.PKCS8));

    assertThatThrownBy(() -> PemKeyMaterial.read(cert, key))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining(cert.toString())
        .hasMessageContaining("server certificate first");
  }

  @Test
  void refusesFilesWithoutPemBlocks() throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path cert = write("server.crt", TestPki.chainPem(leaf.certificate()));
    Path empty = write("empty.pem", "not pem at all\n");
    Path key = write("server.key", TestPki.keyPem(leaf.keys().getPrivate(), KeyFormat.PKCS8));

    assertThatThrownBy(() -> PemKeyMaterial.read(cert, empty))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessage(empty + ": no PEM private key found (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    assertThatThrownBy(() -> PemKeyMaterial.read(empty, key))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessage(empty + ": no PEM CERTIFICATE block found");
    assertThatThrownBy(() -> PemKeyMaterial.read(cert, dir.resolve("missing.key")))
        .isInstanceOf(TlsMaterialException.class)
        .hasMessageContaining("missing.key: cannot read");
  }

  @Test
  void acceptsKeyAndCertificateInOneFile() throws Exception {
    TestPki.Issued leaf = PKI.serverEc();
    Path both = write("server.pem", TestPki.keyPem(leaf.keys().getPrivate(), KeyFormat.PKCS8)
        + TestPki.chainPem(leaf.certificate(), PKI.ca.certificate()));

    PemKeyMaterial material = PemKeyMaterial.read(both, both);

    assertThat(material.chain()).hasSize(2);
    assertThat(PemCertificates.encode(material.chain())).doesNotContain("PRIVATE KEY");
  }

  /** The secret number of the key, comparable across encodings (SEC1 carries fields PKCS#8 from the JDK does not). */
  private static BigInteger secretOf(PrivateKey key) {
    return key instanceof ECPrivateKey ec ? ec.getS() : ((RSAPrivateKey) key).getPrivateExponent();
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }
}
