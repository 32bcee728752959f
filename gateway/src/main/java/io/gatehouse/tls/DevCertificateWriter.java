package io.gatehouse.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a development PKI: a local CA ({@code ca.crt}, {@code ca.key}) and a server certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1} ({@code server.crt} holding leaf then CA, and
 * {@code server.key}); optionally a client certificate for mTLS ({@code client.crt}, {@code client.key}).
 *
 * <p>All keys are EC P-256, PKCS#8 PEM, mode 0600. An existing CA in the directory is reused so a browser or
 * system trust store that already trusts it keeps working; only the server (and client) certificates are renewed.
 * Leaf certificates live at most 825 days, the longest validity browsers accept for a TLS server certificate;
 * the CA lives ten years, as root certificates are exempt from that rule.
 */
public final class DevCertificateWriter {
  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String SERVER_CERT = "server.crt";
  public static final String SERVER_KEY = "server.key";
  public static final String CLIENT_CERT = "client.crt";
  public static final String CLIENT_KEY = "client.key";

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration LEAF_VALIDITY = Duration.ofDays(825);
  /** Tolerates a client clock slightly behind ours. */
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final Clock clock;

  public DevCertificateWriter() {
    this(Clock.systemUTC());
  }

  public DevCertificateWriter(Clock clock) {
    this.clock = clock;
  }

  /**
   * What was written.
   *
   * @param caReused true when an existing {@code ca.crt}/{@code ca.key} was used rather than a new CA made
   */
  public record Result(List<Path> written, boolean caReused, Path caCert) {
    public Result {
      written = List.copyOf(written);
    }
  }

  /** The CA and a server certificate; see the class comment. */
  public Result writeServer(Path dir) throws IOException, TlsMaterialException {
    return write(dir, false, null);
  }

  /**
   * The CA, a server certificate, and a client certificate with subject {@code CN=<clientCommonName>}.
   */
  public Result writeServerAndClient(Path dir, String clientCommonName) throws IOException, TlsMaterialException {
    return write(dir, true, clientCommonName);
  }

  private Result write(Path dir, boolean withClient, String clientCommonName)
      throws IOException, TlsMaterialException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Instant now = clock.instant();
    Path caCertFile = dir.resolve(CA_CERT);
    Path caKeyFile = dir.resolve(CA_KEY);
    boolean reuse = Files.exists(caCertFile) && Files.exists(caKeyFile);
    X509Certificate ca;
    PrivateKey caKey;
    if (reuse) {
      // PemKeyMaterial also checks that ca.key belongs to ca.crt.
      PemKeyMaterial existing = PemKeyMaterial.read(caCertFile, caKeyFile);
      ca = existing.leaf();
      caKey = existing.privateKey();
    } else {
      KeyPair caPair = CertificateIssuer.newEcKeyPair();
      Instant caStart = now.minus(BACKDATE);
      ca = CertificateIssuer.selfSigned(CertificateIssuer.Request.of(
          "CN=Gatehouse Development CA " + now.getEpochSecond() + ",O=Gatehouse development",
          caPair.getPublic(), CertificateIssuer.Purpose.CA, caStart, caStart.plus(CA_VALIDITY)), caPair.getPrivate());
      caKey = caPair.getPrivate();
      // Key first: a ca.crt without its key would make the next run think the CA can be reused.
      PemFileWriter.replace(caKeyFile, PemFileWriter.pem("PRIVATE KEY", caKey.getEncoded()), PemFileWriter.PRIVATE);
      PemFileWriter.replace(caCertFile, PemCertificates.encode(List.of(ca)), PemFileWriter.PUBLIC);
      written.add(caCertFile);
      written.add(caKeyFile);
    }
    // Counted from the backdated start: the 825 days are the certificate's whole validity period.
    Instant notAfter = earliest(now.minus(BACKDATE).plus(LEAF_VALIDITY), ca.getNotAfter().toInstant());
    if (!notAfter.isAfter(now)) {
      throw new TlsMaterialException(caCertFile + ": the development CA has expired; delete ca.crt and ca.key"
          + " to make a new one (and trust the new one)");
    }
    written.addAll(issueLeaf(dir, SERVER_CERT, SERVER_KEY, ca, caKey, CertificateIssuer.Purpose.SERVER,
        "CN=localhost,O=Gatehouse development", now, notAfter));
    if (withClient) {
      written.addAll(issueLeaf(dir, CLIENT_CERT, CLIENT_KEY, ca, caKey, CertificateIssuer.Purpose.CLIENT,
          "CN=" + clientCommonName + ",O=Gatehouse development", now, notAfter));
    }
    return new Result(written, reuse, caCertFile);
  }

  private List<Path> issueLeaf(Path dir, String certName, String keyName, X509Certificate ca, PrivateKey caKey,
      CertificateIssuer.Purpose purpose, String subject, Instant now, Instant notAfter) throws IOException {
    KeyPair pair = CertificateIssuer.newEcKeyPair();
    CertificateIssuer.Request request = CertificateIssuer.Request.of(subject, pair.getPublic(), purpose,
        now.minus(BACKDATE), notAfter);
    if (purpose == CertificateIssuer.Purpose.SERVER) {
      request = request.withSubjectAltNames(List.of("localhost"), List.of("127.0.0.1", "::1"));
    }
    X509Certificate leaf = CertificateIssuer.issue(request, ca, caKey);
    Path keyFile = dir.resolve(keyName);
    Path certFile = dir.resolve(certName);
    // Each file is replaced atomically; a reloading server may glimpse the new key with the old certificate, rejects
    // that pair, and takes the new pair at its next check.
    PemFileWriter.replace(keyFile, PemFileWriter.pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
        PemFileWriter.PRIVATE);
    PemFileWriter.replace(certFile, PemCertificates.encode(List.of(leaf, ca)), PemFileWriter.PUBLIC);
    return List.of(certFile, keyFile);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
