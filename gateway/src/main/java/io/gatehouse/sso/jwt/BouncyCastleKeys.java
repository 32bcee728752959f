package io.gatehouse.sso.jwt;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * ES256 and EdDSA verification with BouncyCastle's lightweight API (no provider is registered: no global state).
 * P-256 uses BouncyCastle's dedicated curve arithmetic ({@link CustomNamedCurves}); both check that a key is a valid
 * point and that signature scalars are in range.
 */
final class BouncyCastleKeys {
  private static final X9ECParameters P256 = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
  private static final ECDomainParameters P256_DOMAIN =
      new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

  private BouncyCastleKeys() {}

  /** @throws IllegalArgumentException when the point is not on P-256 (or is the point at infinity) */
  static ECPublicKeyParameters p256(ECPublicKey key) {
    return new ECPublicKeyParameters(
        P256.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()), P256_DOMAIN);
  }

  /** @throws IllegalArgumentException when the 32 bytes do not decode to a valid Ed25519 point */
  static Ed25519.PublicPoint ed25519(byte[] raw) {
    Ed25519.PublicPoint point = raw.length == Ed25519.PUBLIC_KEY_SIZE
        ? Ed25519.validatePublicKeyFullExport(raw, 0) : null;
    if (point == null) throw new IllegalArgumentException("not an Ed25519 public key");
    return point;
  }

  /** ES256 (RFC 7518 §3.4): SHA-256, then ECDSA over P-256 with the signature as raw r||s, 32 bytes each. */
  static boolean verifiesEs256(ECPublicKeyParameters key, byte[] data, int offset, int length, byte[] signature) {
    if (signature.length != 64) return false;
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    sha256.update(data, offset, length);
    ECDSASigner ecdsa = new ECDSASigner();
    ecdsa.init(false, key);
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
    return ecdsa.verifySignature(sha256.digest(), r, s);
  }

  /** EdDSA with Ed25519 (RFC 8037 §3.1, RFC 8032 §5.1.7). */
  static boolean verifiesEd25519(Ed25519.PublicPoint key, byte[] data, int offset, int length, byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_SIZE) return false;
    return Ed25519.verify(signature, 0, key, data, offset, length);
  }
}
