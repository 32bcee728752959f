package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The raw bytes of the TLS files at one moment, with a SHA-256 fingerprint over all of them. Reading the files
 * once and parsing these bytes means the fingerprint always describes exactly what was loaded, so a change made
 * between load and the first reload check is not missed.
 */
record TlsFileSnapshot(Path certFile, byte[] cert, Path keyFile, byte[] key, Optional<Path> clientCaFile,
    Optional<byte[]> clientCa, String fingerprint) {

  static TlsFileSnapshot read(TlsConfig config) throws TlsMaterialException {
    byte[] cert = PemKeyMaterial.readFile(config.cert());
    byte[] key = PemKeyMaterial.readFile(config.key());
    Optional<byte[]> clientCa = Optional.empty();
    if (config.clientCa().isPresent()) {
      clientCa = Optional.of(PemKeyMaterial.readFile(config.clientCa().get()));
    }
    return new TlsFileSnapshot(config.cert(), cert, config.key(), key, config.clientCa(), clientCa,
        fingerprint(cert, key, clientCa.orElse(new byte[0])));
  }

  private static String fingerprint(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        // Length-prefixed so that moving bytes from one file to the next changes the fingerprint.
        digest.update(Integer.toString(part.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(part);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
