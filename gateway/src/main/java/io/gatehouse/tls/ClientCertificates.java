package io.gatehouse.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The client certificate the TLS handshake verified, as seen by the gateway for the audit log. Only present when
 * the listener requires client certificates ({@code server.tls.client_ca}); the engine has then already checked
 * it against the configured CAs, so the subject can be trusted.
 */
public final class ClientCertificates {
  private ClientCertificates() {}

  /**
   * The subject DN (RFC 2253, e.g. {@code CN=dev-client,O=Gatehouse}) of the connection's client certificate; empty
   * on plain connections or without a certificate.
   */
  public static Optional<String> subjectOf(Channel connection) {
    SslHandler tls = connection == null ? null : connection.pipeline().get(SslHandler.class);
    if (tls == null) return Optional.empty();
    Certificate[] peer;
    try {
      peer = tls.engine().getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) return Optional.empty();
    return Optional.of(leaf.getSubjectX500Principal().getName());
  }
}
