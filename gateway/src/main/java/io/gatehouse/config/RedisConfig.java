package io.gatehouse.config;

import java.net.URI;

/**
 * The top-level {@code redis} section: the one Redis that every store set to {@code redis} without a URL of its own
 * shares (today the SSO revocations; CONTRACT.md).
 *
 * @param url {@code redis://} or {@code rediss://}; may hold a password, so it is never shown
 */
public record RedisConfig(URI url) {}
