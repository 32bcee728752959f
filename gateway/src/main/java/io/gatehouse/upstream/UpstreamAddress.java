package io.gatehouse.upstream;

/**
 * Where upstream connections go, and the key of their pool: connections to one address are interchangeable.
 *
 * @param host a host name or IP literal (an IPv6 literal may keep the brackets of its URL)
 * @param tls true for an {@code https} target
 */
public record UpstreamAddress(String host, int port, boolean tls) {
  /** The host to connect to: an IPv6 literal without the brackets a URL puts around it. */
  String connectHost() {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The {@code Host} header n8n gets, as Vert.x's client sent it: the port only when it is not the scheme's default. */
  public String hostHeader() {
    boolean defaultPort = tls ? port == 443 : port == 80;
    String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return defaultPort ? name : name + ":" + port;
  }
}
