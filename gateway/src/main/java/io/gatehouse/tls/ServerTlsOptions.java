package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the public listener needs for TLS, built from {@link TlsConfig}: certificate and key, protocol
 * versions (TLS 1.2 and 1.3, or 1.3 only; never older), AEAD-only cipher suites, ALPN with {@code h2} and
 * {@code http/1.1}, the engine, and optionally the client CA bundle that makes client certificates mandatory.
 *
 * <p>Immutable: a reload builds a new instance and swaps it in with {@link #sslOptions()}.
 */
public final class ServerTlsOptions {
  private static final System.Logger LOG = System.getLogger(ServerTlsOptions.class.getName());

  /** ALPN preference order: HTTP/2 first, so browsers and h2-capable clients multiplex. */
  public static final List<HttpVersion> ALPN_VERSIONS = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);

  private final TlsEngine engine;
  private final Set<String> protocols;
  private final PemKeyMaterial keyMaterial;
  private final Optional<List<X509Certificate>> clientCas;
  private final String fingerprint;

  private ServerTlsOptions(TlsEngine engine, Set<String> protocols, PemKeyMaterial keyMaterial,
      Optional<List<X509Certificate>> clientCas, String fingerprint) {
    this.engine = engine;
    this.protocols = protocols;
    this.keyMaterial = keyMaterial;
    this.clientCas = clientCas;
    this.fingerprint = fingerprint;
  }

  /** Reads the configured files with the preferred engine ({@link TlsEngine#preferred()}); blocking. */
  public static ServerTlsOptions load(TlsConfig config) throws TlsMaterialException {
    return load(config, TlsEngine.preferred());
  }

  /** Reads the configured files for a given engine; blocking. */
  public static ServerTlsOptions load(TlsConfig config, TlsEngine engine) throws TlsMaterialException {
    return fromSnapshot(config, engine, TlsFileSnapshot.read(config));
  }

  static ServerTlsOptions fromSnapshot(TlsConfig config, TlsEngine engine, TlsFileSnapshot files)
      throws TlsMaterialException {
    Set<String> protocols = protocolsFor(config.minVersion());
    PemKeyMaterial keyMaterial = PemKeyMaterial.parse(files.certFile(), files.cert(), files.keyFile(), files.key());
    Optional<List<X509Certificate>> clientCas = Optional.empty();
    if (files.clientCa().isPresent()) {
      clientCas = Optional.of(PemCertificates.parse(files.clientCaFile().orElseThrow(), files.clientCa().get()));
    }
    return new ServerTlsOptions(engine, protocols, keyMaterial, clientCas, files.fingerprint());
  }

  /** {@code TLSv1.2} enables 1.2 and 1.3; {@code TLSv1.3} enables 1.3 only. Anything else is refused. */
  static Set<String> protocolsFor(String minVersion) throws TlsMaterialException {
    return switch (minVersion == null ? "TLSv1.2" : minVersion) {
      // Ordered, so the startup log reads the same every time.
      case "TLSv1.2" -> Collections.unmodifiableSet(new LinkedHashSet<>(List.of("TLSv1.2", "TLSv1.3")));
      case "TLSv1.3" -> Set.of("TLSv1.3");
      default -> throw new TlsMaterialException("server.tls.min_version: \"" + minVersion
          + "\" is not supported (expected TLSv1.2 or TLSv1.3)");
    };
  }

  /**
   * Configures a listener for TLS and logs the engine chosen. Call once, before {@code createHttpServer}.
   *
   * @return the same options object
   */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    options.setSsl(true)
        .setUseAlpn(true)
        .setAlpnVersions(ALPN_VERSIONS)
        .setSslEngineOptions(engine.engineOptions())
        .setKeyCertOptions(keyMaterial.keyCertOptions())
        .setEnabledSecureTransportProtocols(protocols);
    engine.cipherSuites().forEach(options::addEnabledCipherSuite);
    clientCas.ifPresent(cas -> options.setTrustOptions(trustOptions(cas)).setClientAuth(ClientAuth.REQUIRED));
    LOG.log(Level.INFO, "TLS engine {0}; protocols {1}; {2}", engine.displayName(), protocols, describe());
    warnIfExpired();
    return options;
  }

  /**
   * The same settings as {@link #applyTo} minus the engine (fixed when the server starts), for
   * {@code HttpServer.updateSSLOptions}.
   */
  public ServerSSLOptions sslOptions() {
    ServerSSLOptions options = new ServerSSLOptions()
        .setUseAlpn(true)
        .setApplicationLayerProtocols(ALPN_VERSIONS.stream().map(HttpVersion::alpnName).toList())
        .setKeyCertOptions(keyMaterial.keyCertOptions())
        .setEnabledSecureTransportProtocols(protocols);
    engine.cipherSuites().forEach(options::addEnabledCipherSuite);
    clientCas.ifPresent(cas -> options.setTrustOptions(trustOptions(cas)).setClientAuth(ClientAuth.REQUIRED));
    return options;
  }

  private static PemTrustOptions trustOptions(List<X509Certificate> cas) {
    return new PemTrustOptions().addCertValue(Buffer.buffer(PemCertificates.encode(cas)));
  }

  void warnIfExpired() {
    Instant now = Instant.now();
    if (keyMaterial.notAfter().isBefore(now)) {
      LOG.log(Level.WARNING, "TLS certificate {0} expired at {1}", keyMaterial.subject(), keyMaterial.notAfter());
    } else if (keyMaterial.leaf().getNotBefore().toInstant().isAfter(now)) {
      LOG.log(Level.WARNING, "TLS certificate {0} is not valid before {1}", keyMaterial.subject(),
          keyMaterial.leaf().getNotBefore().toInstant());
    }
  }

  /** Subject, serial and expiry of the leaf, and whether client certificates are required; safe to log. */
  public String describe() {
    return "certificate " + keyMaterial.subject() + " serial " + keyMaterial.serial().toString(16)
        + " valid until " + keyMaterial.notAfter()
        + (clientCas.isPresent() ? "; client certificates required (" + clientCas.get().size() + " CA)" : "");
  }

  public TlsEngine engine() {
    return engine;
  }

  /** Enabled protocol versions, e.g. {@code [TLSv1.2, TLSv1.3]}. */
  public Set<String> protocols() {
    return protocols;
  }

  public List<String> cipherSuites() {
    return engine.cipherSuites();
  }

  public PemKeyMaterial keyMaterial() {
    return keyMaterial;
  }

  public boolean requiresClientCertificate() {
    return clientCas.isPresent();
  }

  /** SHA-256 over the files this was built from; the reloader compares it with the files on disk. */
  public String fingerprint() {
    return fingerprint;
  }
}
