package io.gatehouse.config;

import java.time.Duration;

/** {@code 20/s} is {@code Rate(20, 1s)}. */
public record Rate(long permits, Duration per) {}
