package io.gatehouse.audit.syslog;

import io.gatehouse.tls.CertificateIssuer;
import io.gatehouse.tls.PemCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for one test: a CA whose bundle the forwarder is given, a collector certificate for 127.0.0.1
 * and a client certificate it signed, and for the refusals a collector certificate from an unrelated CA and one from
 * our CA for another name. The forwarder's files are written as PEM, the way an operator supplies them.
 */
final class SyslogTestPki {
  /** A certificate with its key. */
  record Issued(X509Certificate certificate, KeyPair keys, X509Certificate issuer) {}

  final Issued ca;
  final Path caFile;
  final Path clientCertFile;
  final Path clientKeyFile;

  private SyslogTestPki(Issued ca, Path caFile, Path clientCertFile, Path clientKeyFile) {
    this.ca = ca;
    this.caFile = caFile;
    this.clientCertFile = clientCertFile;
    this.clientKeyFile = clientKeyFile;
  }

  static SyslogTestPki create(Path dir) throws Exception {
    Issued ca = newCa("CN=Syslog Test CA");
    Issued client = issue(ca, "CN=gatehouse-replica-1,O=Test", CertificateIssuer.Purpose.CLIENT, List.of(), List.of());
    Path caFile = write(dir.resolve("siem-ca.crt"), PemCertificates.encode(List.of(ca.certificate())));
    Path certFile = write(dir.resolve("client.crt"), PemCertificates.encode(List.of(client.certificate(),
        ca.certificate())));
    Path keyFile = write(dir.resolve("client.key"), pkcs8Pem(client.keys().getPrivate()));
    return new SyslogTestPki(ca, caFile, certFile, keyFile);
  }

  /** The collector's certificate for 127.0.0.1 (and localhost), from our CA. */
  Issued collector() {
    return issue(ca, "CN=siem.test", CertificateIssuer.Purpose.SERVER, List.of("localhost"), List.of("127.0.0.1"));
  }

  /** A certificate for 127.0.0.1 from a CA the forwarder has never heard of. */
  static Issued collectorFromAnotherCa() {
    Issued other = newCa("CN=Someone Else's CA");
    return issue(other, "CN=siem.test", CertificateIssuer.Purpose.SERVER, List.of("localhost"),
        List.of("127.0.0.1"));
  }

  /** From our CA, but for a name that is not the one the forwarder connects to. */
  Issued collectorForAnotherName() {
    return issue(ca, "CN=elsewhere.test", CertificateIssuer.Purpose.SERVER, List.of("elsewhere.test"), List.of());
  }

  /** A server context presenting {@code server}; with {@code clientCa}, for a collector that wants client certs. */
  static SSLContext serverContext(Issued server, Optional<X509Certificate> clientCa) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", server.keys().getPrivate(), new char[0],
        new Certificate[] {server.certificate(), server.issuer()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    TrustManagerFactory tmf = null;
    if (clientCa.isPresent()) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", clientCa.get());
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return context;
  }

  private static Issued newCa(String subject) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    X509Certificate cert = CertificateIssuer.selfSigned(CertificateIssuer.Request.of(subject, keys.getPublic(),
        CertificateIssuer.Purpose.CA, now.minusSeconds(60), now.plus(Duration.ofDays(1))), keys.getPrivate());
    return new Issued(cert, keys, cert);
  }

  private static Issued issue(Issued ca, String subject, CertificateIssuer.Purpose purpose, List<String> dns,
      List<String> ips) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    CertificateIssuer.Request request = CertificateIssuer.Request.of(subject, keys.getPublic(), purpose,
        now.minusSeconds(60), now.plus(Duration.ofDays(1))).withSubjectAltNames(dns, ips);
    return new Issued(CertificateIssuer.issue(request, ca.certificate(), ca.keys().getPrivate()), keys,
        ca.certificate());
  }

  private static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static Path write(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }
}
