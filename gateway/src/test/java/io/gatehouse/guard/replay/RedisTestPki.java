package io.gatehouse.guard.replay;

import io.gatehouse.tls.CertificateIssuer;
import io.gatehouse.tls.PemCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Certificates for a test Redis over TLS, written as PEM files the way an operator supplies them: a CA, a server
 * certificate for 127.0.0.1 and localhost, a client certificate from the same CA, and for the refusals a CA nobody
 * issued from and a server certificate for another name.
 */
public final class RedisTestPki {
  /** A certificate's PEM chain (leaf first) and its key. */
  public record CertAndKey(Path cert, Path key) {}

  private final Issued ca;
  private final Path dir;
  /** The CA's certificate: what {@code redis.tls.ca} and {@code --tls-ca-cert-file} name. */
  public final Path caFile;
  /** The server's certificate for 127.0.0.1 and localhost. */
  public final CertAndKey server;
  /** A client certificate from the same CA, for {@code --tls-auth-clients yes}. */
  public final CertAndKey client;

  private record Issued(X509Certificate certificate, KeyPair keys) {}

  private RedisTestPki(Path dir, Issued ca, Path caFile, CertAndKey server, CertAndKey client) {
    this.dir = dir;
    this.ca = ca;
    this.caFile = caFile;
    this.server = server;
    this.client = client;
  }

  /** Creates the CA and writes its files into {@code dir}. */
  public static RedisTestPki create(Path dir) throws IOException {
    Issued ca = newCa("CN=Redis Test CA");
    Path caFile = write(dir.resolve("redis-ca.crt"), PemCertificates.encode(List.of(ca.certificate())));
    CertAndKey server = writeLeaf(dir, "redis-server", ca, issue(ca, "CN=redis.test", CertificateIssuer.Purpose.SERVER,
        List.of("localhost"), List.of("127.0.0.1")));
    CertAndKey client = writeLeaf(dir, "redis-client", ca, issue(ca, "CN=gatehouse-replica-1",
        CertificateIssuer.Purpose.CLIENT, List.of(), List.of()));
    return new RedisTestPki(dir, ca, caFile, server, client);
  }

  /** The certificate of a CA that issued nothing here: trusting only it, no server here is trusted. */
  public Path unrelatedCaFile() throws IOException {
    return write(dir.resolve("unrelated-ca.crt"),
        PemCertificates.encode(List.of(newCa("CN=Someone Else's CA").certificate())));
  }

  /** From our CA, but for a name that is not 127.0.0.1: the host name check must refuse it. */
  public CertAndKey serverForAnotherName() throws IOException {
    return writeLeaf(dir, "redis-elsewhere", ca, issue(ca, "CN=elsewhere.test", CertificateIssuer.Purpose.SERVER,
        List.of("elsewhere.test"), List.of()));
  }

  private static Issued newCa(String subject) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    X509Certificate cert = CertificateIssuer.selfSigned(CertificateIssuer.Request.of(subject, keys.getPublic(),
        CertificateIssuer.Purpose.CA, now.minusSeconds(60), now.plus(Duration.ofDays(1))), keys.getPrivate());
    return new Issued(cert, keys);
  }

  private static Issued issue(Issued ca, String subject, CertificateIssuer.Purpose purpose, List<String> dns,
      List<String> ips) {
    KeyPair keys = CertificateIssuer.newEcKeyPair();
    Instant now = Instant.now();
    CertificateIssuer.Request request = CertificateIssuer.Request.of(subject, keys.getPublic(), purpose,
        now.minusSeconds(60), now.plus(Duration.ofDays(1))).withSubjectAltNames(dns, ips);
    return new Issued(CertificateIssuer.issue(request, ca.certificate(), ca.keys().getPrivate()), keys);
  }

  private static CertAndKey writeLeaf(Path dir, String name, Issued ca, Issued leaf) throws IOException {
    Path cert = write(dir.resolve(name + ".crt"),
        PemCertificates.encode(List.of(leaf.certificate(), ca.certificate())));
    Path key = write(dir.resolve(name + ".key"), pkcs8Pem(leaf.keys().getPrivate()));
    return new CertAndKey(cert, key);
  }

  private static String pkcs8Pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.US_ASCII);
  }
}
