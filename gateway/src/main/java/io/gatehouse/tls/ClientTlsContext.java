package io.gatehouse.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK {@link SSLContext} for the gateway as the client of a service it sends to (the SIEM collector): the
 * server is trusted through a PEM CA bundle, or through the JDK's default trust store when none is given, and a
 * client certificate from PEM is presented to a server that asks for one. The files are read with the listener's
 * PEM readers, so the same key formats are accepted and the same errors given.
 *
 * <p>The context checks the chain only; the caller must still turn on host name verification on each socket
 * ({@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}), which a context cannot do for it.
 */
public final class ClientTlsContext {
  /** The in-memory key store needs a password; it never leaves this method's objects. */
  private static final char[] NO_PASSWORD = new char[0];

  private ClientTlsContext() {}

  /**
   * Reads the files and builds the context; blocking.
   *
   * @param caBundle CA certificates the server's chain must lead to; empty: the JDK's default trust store
   * @param cert the client certificate chain, leaf first; present exactly when {@code key} is
   * @param key the client certificate's unencrypted private key
   */
  public static SSLContext load(Optional<Path> caBundle, Optional<Path> cert, Optional<Path> key)
      throws TlsMaterialException {
    if (cert.isPresent() != key.isPresent()) {
      throw new TlsMaterialException("a client certificate and its key go together: "
          + cert.or(() -> key).map(Path::toString).orElse("") + " has no partner");
    }
    Optional<List<X509Certificate>> cas = caBundle.isPresent()
        ? Optional.of(PemCertificates.parse(caBundle.get(), PemKeyMaterial.readFile(caBundle.get())))
        : Optional.empty();
    Optional<PemKeyMaterial> client = cert.isPresent()
        ? Optional.of(PemKeyMaterial.read(cert.get(), key.get()))
        : Optional.empty();
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(cas.isPresent() ? trustStore(cas.get()) : null);
      KeyManager[] keys = null;
      if (client.isPresent()) {
        KeyStore store = emptyStore();
        store.setKeyEntry("client", client.get().privateKey(), NO_PASSWORD,
            client.get().chain().toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        keys = factory.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      // No cause: a key store's message could quote the key it was given.
      throw new TlsMaterialException("cannot build a TLS client context from "
          + caBundle.map(Path::toString).orElse("the default trust store")
          + cert.map(c -> " and " + c).orElse("") + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static KeyStore trustStore(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
    KeyStore store = emptyStore();
    for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
    return store;
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }
}
