package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Reason;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  @Test
  void countsCompletedRequestsByRouteStatusDecisionAndReason() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.requestCompleted("editor", 200, Reason.NONE, 1_500);
    metrics.requestCompleted("editor", 200, Reason.NONE, 2_500);
    metrics.requestCompleted("webhooks", 401, Reason.SIGNATURE_INVALID, 300);

    assertThat(metrics.scrape())
        .contains("gatehouse_requests_total{decision=\"allow\",reason=\"none\",route=\"editor\",status=\"200\"} 2")
        .contains("gatehouse_requests_total{decision=\"refuse\",reason=\"signature_invalid\",route=\"webhooks\","
            + "status=\"401\"} 1");
  }

  @Test
  void labelsUnmatchedRequestsWithRouteNone() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.requestCompleted(null, 404, Reason.NO_ROUTE, 100);

    assertThat(metrics.scrape())
        .contains("gatehouse_requests_total{decision=\"refuse\",reason=\"no_route\",route=\"none\",status=\"404\"} 1")
        .contains("gatehouse_request_duration_seconds_count{route=\"none\"} 1");
  }

  @Test
  void countsUpstreamFailuresAsAllowedWithTheirReason() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.requestCompleted("editor", 502, Reason.UPSTREAM_UNAVAILABLE, 100);

    assertThat(metrics.scrape()).contains(
        "gatehouse_requests_total{decision=\"allow\",reason=\"upstream_unavailable\",route=\"editor\",status=\"502\"} 1");
  }

  @Test
  void recordsDurationInSecondsInProxyBuckets() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.requestCompleted("editor", 200, Reason.NONE, 400);      // 0.4 ms
    metrics.requestCompleted("editor", 200, Reason.NONE, 45_000_000); // 45 s

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("gatehouse_request_duration_seconds_bucket{route=\"editor\",le=\"5.0E-4\"} 1")
        .contains("gatehouse_request_duration_seconds_bucket{route=\"editor\",le=\"30.0\"} 1")
        .contains("gatehouse_request_duration_seconds_bucket{route=\"editor\",le=\"60.0\"} 2")
        .contains("gatehouse_request_duration_seconds_bucket{route=\"editor\",le=\"+Inf\"} 2")
        .contains("gatehouse_request_duration_seconds_count{route=\"editor\"} 2")
        .contains("gatehouse_request_duration_seconds_sum{route=\"editor\"} 45.0004");
  }

  @Test
  void countsUpstreamErrorsByUpstreamAndKind() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.upstreamError("main", UpstreamErrorKind.CONNECT);
    metrics.upstreamError("main", UpstreamErrorKind.CONNECT);
    metrics.upstreamError("webhook", UpstreamErrorKind.TIMEOUT);
    metrics.upstreamError("webhook", UpstreamErrorKind.RESET);

    assertThat(metrics.scrape())
        .contains("gatehouse_upstream_errors_total{kind=\"connect\",upstream=\"main\"} 2")
        .contains("gatehouse_upstream_errors_total{kind=\"timeout\",upstream=\"webhook\"} 1")
        .contains("gatehouse_upstream_errors_total{kind=\"reset\",upstream=\"webhook\"} 1");
  }

  @Test
  void tracksOpenConnectionsAndWebSocketsUpAndDown() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.webSocketOpened();
    metrics.webSocketOpened();
    metrics.webSocketClosed();

    assertThat(metrics.scrape())
        .contains("gatehouse_open_connections 2.0")
        .contains("gatehouse_open_websockets 1.0");
  }

  @Test
  void countsHandshakesAndReloadsByResultStartingAtZero() {
    GatewayMetrics metrics = new GatewayMetrics();
    assertThat(metrics.scrape())
        .contains("gatehouse_tls_handshakes_total{result=\"failed\"} 0")
        .contains("gatehouse_config_reloads_total{result=\"ok\"} 0")
        .contains("gatehouse_cert_reloads_total{result=\"failed\"} 0");

    metrics.tlsHandshake(true);
    metrics.tlsHandshake(true);
    metrics.tlsHandshake(false);
    metrics.configReload(true);
    metrics.configReload(false);
    metrics.certReload(false);

    assertThat(metrics.scrape())
        .contains("gatehouse_tls_handshakes_total{result=\"ok\"} 2")
        .contains("gatehouse_tls_handshakes_total{result=\"failed\"} 1")
        .contains("gatehouse_config_reloads_total{result=\"ok\"} 1")
        .contains("gatehouse_config_reloads_total{result=\"failed\"} 1")
        .contains("gatehouse_cert_reloads_total{result=\"ok\"} 0")
        .contains("gatehouse_cert_reloads_total{result=\"failed\"} 1");
  }

  @Test
  void countsAccessLogDropsAndWriteErrors() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.entryDropped();
    metrics.entryDropped();
    metrics.writeFailed();

    assertThat(metrics.scrape())
        .contains("gatehouse_audit_entries_dropped_total 2")
        .contains("gatehouse_audit_write_errors_total 1");
  }

  @Test
  void keepsSeparateCountsForEachInstance() {
    GatewayMetrics first = new GatewayMetrics();
    GatewayMetrics second = new GatewayMetrics();
    first.requestCompleted("editor", 200, Reason.NONE, 100);

    assertThat(first.scrape()).contains("route=\"editor\"");
    assertThat(second.scrape()).doesNotContain("route=\"editor\"");
  }

  @Test
  void usesOnlyTheSpecifiedLabelNames() {
    GatewayMetrics metrics = new GatewayMetrics();
    metrics.requestCompleted("editor", 200, Reason.NONE, 100);
    metrics.upstreamError("main", UpstreamErrorKind.RESET);

    String scrape = metrics.scrape();
    assertThat(scrape.lines().filter(l -> l.startsWith("gatehouse_requests_total{")))
        .allSatisfy(l -> assertThat(labelNames(l)).isEqualTo("decision,reason,route,status"));
    assertThat(scrape.lines().filter(l -> l.startsWith("gatehouse_request_duration_seconds_count{")))
        .allSatisfy(l -> assertThat(labelNames(l)).isEqualTo("route"));
    assertThat(scrape.lines().filter(l -> l.startsWith("gatehouse_upstream_errors_total{")))
        .allSatisfy(l -> assertThat(labelNames(l)).isEqualTo("kind,upstream"));
  }

  private static String labelNames(String line) {
    String labels = line.substring(line.indexOf('{') + 1, line.indexOf('}'));
    StringBuilder names = new StringBuilder();
    for (String pair : labels.split(",")) {
      if (names.length() > 0) names.append(',');
      names.append(pair, 0, pair.indexOf('='));
    }
    return names.toString();
  }
}
