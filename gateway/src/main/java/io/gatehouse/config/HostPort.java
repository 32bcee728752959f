package io.gatehouse.config;

/** A listen address. Port 0 asks the OS for a free port (tests). */
public record HostPort(String host, int port) {
  @Override public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
