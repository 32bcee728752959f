package io.gatehouse.config;

/** The admin listener: /healthz, /readyz, /metrics. Plain HTTP, never on the public listener. */
public record AdminConfig(HostPort listen) {}
