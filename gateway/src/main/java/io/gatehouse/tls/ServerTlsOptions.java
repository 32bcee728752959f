package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
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
   * The listener's TLS context: the same protocols, suites, ALPN and client-certificate policy as {@link #applyTo},
   * for the gateway's own Netty listener. Each new connection takes its engine from the context current at accept, so
   * a reload builds a new context and existing connections keep theirs.
   */
  public SslContext serverContext() throws SSLException {
    SslContextBuilder builder = SslContextBuilder.forServer(keyMaterial.privateKey(), keyMaterial.chain())
        .sslProvider(engine == TlsEngine.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols(protocols)
        .ciphers(engine.cipherSuites())
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            // A client that offers neither gets HTTP/1.1, as with Vert.x before.
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            // HTTP/2 first, so browsers and h2-capable clients multiplex.
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
    clientCas.ifPresent(cas -> builder.trustManager(cas).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE));
    return builder.build();
  }

  /** Logs the engine, protocols and certificate in use; once at start, and after each reload. */
  public void logInUse() {
    LOG.log(Level.INFO, "TLS engine {0}; protocols {1}; {2}", engine.displayName(), protocols, describe());
    warnIfExpired();
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
