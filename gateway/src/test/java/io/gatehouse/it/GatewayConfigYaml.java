package io.gatehouse.it;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A test gateway's whole config file, for tests that need what {@link GatewayHarness#configYaml} fixes: other
 * timeouts, a client CA, a larger {@code max_body}, or several targets in the {@code main} pool. Immutable;
 * each {@code with...} returns a copy.
 *
 * <pre>
 * GatewayHarness.startWithConfig(GatewayConfigYaml.of(upstream.url()).withUpstreamResponse("1s").yaml());
 * </pre>
 */
public record GatewayConfigYaml(
    List<String> upstreamUrls,
    String routes,
    String upstreamConnect,
    String upstreamResponse,
    String maxBody,
    String clientCa) {

  /** The harness defaults: {@link GatewayHarness#DEFAULT_ROUTES}, connect 2s, response 10s, no client CA. */
  public static GatewayConfigYaml of(String... upstreamUrls) {
    return new GatewayConfigYaml(List.of(upstreamUrls), GatewayHarness.DEFAULT_ROUTES, "2s", "10s", null, null);
  }

  public GatewayConfigYaml withRoutes(String newRoutes) {
    return new GatewayConfigYaml(upstreamUrls, newRoutes, upstreamConnect, upstreamResponse, maxBody, clientCa);
  }

  public GatewayConfigYaml withUpstreamResponse(String duration) {
    return new GatewayConfigYaml(upstreamUrls, routes, upstreamConnect, duration, maxBody, clientCa);
  }

  public GatewayConfigYaml withMaxBody(String size) {
    return new GatewayConfigYaml(upstreamUrls, routes, upstreamConnect, upstreamResponse, size, clientCa);
  }

  /** Requires client certificates issued by the CA in {@code caFile} (relative to the harness directory). */
  public GatewayConfigYaml withClientCa(String caFile) {
    return new GatewayConfigYaml(upstreamUrls, routes, upstreamConnect, upstreamResponse, maxBody, caFile);
  }

  /** The config file's text. */
  public String yaml() {
    String urls = upstreamUrls.stream().map(u -> "\"" + u + "\"").collect(Collectors.joining(", "));
    String clientCaKey = clientCa == null ? "" : ", client_ca: \"" + clientCa + "\"";
    String maxBodyLine = maxBody == null ? "" : "  max_body: \"" + maxBody + "\"\n";
    return """
        server:
          listen: "127.0.0.1:0"
          public_url: "https://localhost:8443"
          tls: { cert: "certs/server.crt", key: "certs/server.key"%s }
          timeouts: { upstream_connect: "%s", upstream_response: "%s", drain: "5s" }
        %sadmin: { listen: "127.0.0.1:0" }
        upstreams:
          main: { urls: [%s] }
        %s
        audit:
          dir: "audit"
        """.formatted(clientCaKey, upstreamConnect, upstreamResponse, maxBodyLine, urls, routes);
  }
}
