package io.gatehouse.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the files a config names, with just enough PEM armour for the loader's text check. */
final class TestFiles {
  static final String CERT = "-----BEGIN CERTIFICATE-----\nTm90IGEgcmVhbCBjZXJ0\n-----END CERTIFICATE-----\n";
  static final String KEY = "-----BEGIN PRIVATE KEY-----\nTm90IGEgcmVhbCBrZXk=\n-----END PRIVATE KEY-----\n";

  private TestFiles() {}

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** A complete config in {@code dir} with its certificate and key, plus whatever {@code extra} YAML adds. */
  static Path minimalConfig(Path dir, String extra) throws IOException {
    write(dir.resolve("tls/server.crt"), CERT);
    write(dir.resolve("tls/server.key"), KEY);
    write(dir.resolve("audit.key"), KEY);
    return write(dir.resolve("gatehouse.yaml"), """
        server:
          listen: "127.0.0.1:0"
          public_url: "https://localhost:8443"
          tls: { cert: "tls/server.crt", key: "tls/server.key" }
        upstreams:
          main: { urls: ["http://127.0.0.1:5678"] }
        audit:
          dir: "audit"
          signing_key: "audit.key"
        """ + extra);
  }
}
