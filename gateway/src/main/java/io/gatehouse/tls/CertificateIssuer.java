package io.gatehouse.tls;

import io.gatehouse.config.IpLiteral;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues X.509 certificates with BouncyCastle for development and tests: a self-signed CA, and server or client
 * certificates signed by it. Not a production CA: no revocation, no policy, keys held in memory.
 */
public final class CertificateIssuer {
  /** What the certificate is for; decides basic constraints, key usage and extended key usage. */
  public enum Purpose { CA, SERVER, CLIENT }

  /**
   * One certificate to issue.
   *
   * @param dnsNames and {@code ipAddresses} become the subjectAltName (empty for none)
   */
  public record Request(String subjectDn, PublicKey publicKey, Purpose purpose, Instant notBefore, Instant notAfter,
      BigInteger serial, List<String> dnsNames, List<String> ipAddresses) {
    public Request {
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
    }

    /** A request with a fresh random serial and no subjectAltName. */
    public static Request of(String subjectDn, PublicKey publicKey, Purpose purpose, Instant notBefore,
        Instant notAfter) {
      return new Request(subjectDn, publicKey, purpose, notBefore, notAfter, randomSerial(), List.of(), List.of());
    }

    public Request withSubjectAltNames(List<String> dns, List<String> ips) {
      return new Request(subjectDn, publicKey, purpose, notBefore, notAfter, serial, dns, ips);
    }

    public Request withSerial(BigInteger newSerial) {
      return new Request(subjectDn, publicKey, purpose, notBefore, notAfter, newSerial, dnsNames, ipAddresses);
    }
  }

  private CertificateIssuer() {}

  /** A new EC key pair on P-256 (secp256r1). */
  public static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 is required of every JDK", e);
    }
  }

  /** A new RSA key pair. */
  public static KeyPair newRsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is required of every JDK", e);
    }
  }

  /** A positive 127-bit random serial: unique in practice, and within RFC 5280's 20-octet limit. */
  public static BigInteger randomSerial() {
    return new BigInteger(127, new SecureRandom()).setBit(0);
  }

  /** A self-signed certificate for {@code request}, normally a {@link Purpose#CA}. */
  public static X509Certificate selfSigned(Request request, PrivateKey privateKey) {
    return sign(request, new X500Principal(request.subjectDn()), null, privateKey);
  }

  /** A certificate for {@code request} signed by {@code issuer}. */
  public static X509Certificate issue(Request request, X509Certificate issuer, PrivateKey issuerKey) {
    return sign(request, issuer.getSubjectX500Principal(), issuer, issuerKey);
  }

  private static X509Certificate sign(Request request, X500Principal issuerName, X509Certificate issuer,
      PrivateKey signingKey) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, request.serial(),
          Date.from(request.notBefore()), Date.from(request.notAfter()), new X500Principal(request.subjectDn()),
          request.publicKey());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          extensions.createSubjectKeyIdentifier(request.publicKey()));
      builder.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
          ? extensions.createAuthorityKeyIdentifier(request.publicKey())
          : extensions.createAuthorityKeyIdentifier(issuer));
      addPurpose(builder, request);
      addSubjectAltNames(builder, request);
      String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot issue certificate for " + request.subjectDn(), e);
    }
  }

  private static void addPurpose(X509v3CertificateBuilder builder, Request request) throws CertIOException {
    switch (request.purpose()) {
      case CA -> {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      case SERVER, CLIENT -> {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // RSA key exchange needs keyEncipherment; ECDHE only ever signs.
        int usage = request.publicKey().getAlgorithm().equals("RSA")
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        KeyPurposeId purpose = request.purpose() == Purpose.SERVER
            ? KeyPurposeId.id_kp_serverAuth
            : KeyPurposeId.id_kp_clientAuth;
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      default -> throw new IllegalArgumentException(request.purpose().toString());
    }
  }

  private static void addSubjectAltNames(X509v3CertificateBuilder builder, Request request) throws CertIOException {
    List<GeneralName> names = new ArrayList<>();
    request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
    for (String ip : request.ipAddresses()) {
      names.add(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(literalIp(ip))));
    }
    if (!names.isEmpty()) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
    }
  }

  private static byte[] literalIp(String ip) {
    return IpLiteral.parse(ip).map(InetAddress::getAddress)
        .orElseThrow(() -> new IllegalArgumentException("not an IP literal: " + ip));
  }
}
