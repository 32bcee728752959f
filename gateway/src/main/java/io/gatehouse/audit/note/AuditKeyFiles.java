package io.gatehouse.audit.note;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads the key files {@code gatehouse keygen} writes (and OpenSSL's {@code genpkey -algorithm ed25519}): the
 * private key as PKCS#8 PEM, the public key as SubjectPublicKeyInfo PEM. Error messages name the file, never its
 * contents.
 */
public final class AuditKeyFiles {
  private AuditKeyFiles() {}

  /** The 32-byte Ed25519 seed of a PKCS#8 PEM private key. */
  public static byte[] readSeed(Path file) throws IOException {
    Object pem = readPem(file);
    if (!(pem instanceof PrivateKeyInfo info)
        || !EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
      throw new IOException(file + " is not an Ed25519 private key (PKCS#8 PEM; create one with gatehouse keygen)");
    }
    byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
    if (seed.length != 32) throw new IOException(file + " does not hold a 32-byte Ed25519 key");
    return seed;
  }

  /** The 32-byte Ed25519 public key of a SubjectPublicKeyInfo PEM file. */
  public static byte[] readPublicKey(Path file) throws IOException {
    Object pem = readPem(file);
    if (!(pem instanceof SubjectPublicKeyInfo info)
        || !EdECObjectIdentifiers.id_Ed25519.equals(info.getAlgorithm().getAlgorithm())) {
      throw new IOException(file + " is not an Ed25519 public key (PEM; gatehouse keygen writes PREFIX.pub)");
    }
    byte[] key = info.getPublicKeyData().getOctets();
    if (key.length != 32) throw new IOException(file + " does not hold a 32-byte Ed25519 key");
    return key;
  }

  private static Object readPem(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
      Object first = parser.readObject();
      if (first == null) throw new IOException(file + " holds no PEM block");
      return first;
    } catch (IOException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a readable PEM file (" + e.getClass().getSimpleName() + ")");
    }
  }
}
