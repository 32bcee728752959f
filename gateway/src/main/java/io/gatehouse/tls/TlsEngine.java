package io.gatehouse.tls;

import io.netty.handler.ssl.OpenSsl;
import java.util.List;

/**
 * The TLS implementation behind the listener, and the AEAD-only cipher suites spelled the way it expects them.
 *
 * <p>OpenSSL (netty-tcnative's BoringSSL) is preferred: it is faster than the JDK's engine and negotiates ALPN
 * natively. The JDK engine is the fallback for platforms without the native library.
 */
public enum TlsEngine {
  OPENSSL("OpenSSL (netty-tcnative BoringSSL)", List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "ECDHE-ECDSA-AES128-GCM-SHA256",
      "ECDHE-RSA-AES128-GCM-SHA256",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384",
      "ECDHE-ECDSA-CHACHA20-POLY1305",
      "ECDHE-RSA-CHACHA20-POLY1305")),
  JDK("JDK (JSSE)", List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));

  private final String displayName;
  private final List<String> cipherSuites;

  TlsEngine(String displayName, List<String> cipherSuites) {
    this.displayName = displayName;
    this.cipherSuites = cipherSuites;
  }

  /** OpenSSL when netty-tcnative loads on this machine, else the JDK. */
  public static TlsEngine preferred() {
    return OPENSSL.isAvailable() ? OPENSSL : JDK;
  }

  public boolean isAvailable() {
    return this == JDK || OpenSsl.isAvailable();
  }

  public String displayName() {
    return displayName;
  }

  /**
   * TLS 1.3 suites (all AEAD by definition) followed by the TLS 1.2 ECDHE suites with AES-GCM or ChaCha20-Poly1305:
   * forward secrecy and authenticated encryption only, no CBC, no static RSA key exchange. The TLS 1.3 names must
   * be listed too: the JDK engine would otherwise disable TLS 1.3 along with every suite not named.
   */
  public List<String> cipherSuites() {
    return cipherSuites;
  }
}
