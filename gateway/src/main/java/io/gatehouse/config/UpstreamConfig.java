package io.gatehouse.config;

import java.net.URI;
import java.util.List;

/** A named pool of n8n targets (e.g. {@code main}, {@code webhook}), used round-robin. */
public record UpstreamConfig(String name, List<URI> urls) {
  public UpstreamConfig {
    urls = List.copyOf(urls);
  }
}
