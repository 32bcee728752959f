package io.gatehouse.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes PEM certificate lists (a server chain or a CA bundle). Other PEM blocks in the same file, such
 * as a private key stored next to its certificate, are skipped, never echoed.
 */
public final class PemCertificates {
  private PemCertificates() {}

  /**
   * Parses every {@code CERTIFICATE} block, in file order.
   *
   * @param file only used to name the file in error messages
   * @throws TlsMaterialException when the text is not PEM or holds no certificate
   */
  public static List<X509Certificate> parse(Path file, byte[] pem) throws TlsMaterialException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object item;
      while ((item = readNext(parser, file)) != null) {
        if (item instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new TlsMaterialException(
          file + ": not a readable PEM certificate (" + e.getClass().getSimpleName() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new TlsMaterialException(file + ": no PEM CERTIFICATE block found");
    }
    return List.copyOf(certificates);
  }

  /** Encodes certificates as concatenated PEM blocks, in the given order. */
  public static String encode(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (IOException | java.security.cert.CertificateEncodingException e) {
      // A StringWriter does not fail, and a parsed certificate always re-encodes.
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static Object readNext(PEMParser parser, Path file) throws TlsMaterialException {
    try {
      return parser.readObject();
    } catch (IOException | RuntimeException e) {
      // BouncyCastle reports a malformed block as an IOException or a runtime exception.
      throw new TlsMaterialException(file + ": malformed PEM block (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
