package io.gatehouse.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Server certificate and TLS policy.
 *
 * @param cert PEM chain, leaf first
 * @param key PEM private key: PKCS#8, PKCS#1 or SEC1
 * @param minVersion {@code TLSv1.2} or {@code TLSv1.3}; nothing older is ever enabled
 * @param clientCa when present, clients must present a certificate issued by one of these CAs
 */
public record TlsConfig(Path cert, Path key, String minVersion, Optional<Path> clientCa) {}
