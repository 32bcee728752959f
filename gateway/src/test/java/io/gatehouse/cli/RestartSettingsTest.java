package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.it.GatewayHarness;
import io.gatehouse.it.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload names the settings it could not apply without a restart, and only those. */
class RestartSettingsTest {
  @TempDir static Path dir;

  @BeforeAll static void certificates() throws Exception {
    GatewayProcess.writeDevCerts(dir);
  }

  @Test void namesTheBufferedBodyBudgetAndUpstreamConnectButNotTimeoutsThatApplyAtOnce() throws Exception {
    GatehouseConfig before = load("before", "");
    GatehouseConfig after = load("after", "  max_buffered_bodies: \"8MiB\"\n");
    GatehouseConfig timeoutsOnly = load("timeouts", "",
        "{ idle: \"5s\", upstream_connect: \"2s\", upstream_response: \"9s\", request_body: \"3s\","
            + " websocket_idle: \"2m\" }");
    GatehouseConfig connect = load("connect", "", "{ upstream_connect: \"1s\" }");

    assertThat(RestartSettings.changed(before, after)).containsExactly("server.max_buffered_bodies");
    assertThat(RestartSettings.changed(before, timeoutsOnly)).isEmpty();
    assertThat(RestartSettings.changed(before, connect)).containsExactly("server.timeouts.upstream_connect");
    assertThat(RestartSettings.changed(before, before)).isEmpty();
  }

  private static GatehouseConfig load(String name, String serverExtra) throws Exception {
    return load(name, serverExtra, null);
  }

  private static GatehouseConfig load(String name, String serverExtra, String timeouts) throws Exception {
    GatewayHarness.Options options = timeouts == null ? GatewayHarness.Options.DEFAULTS
        : GatewayHarness.Options.DEFAULTS.withTimeouts(timeouts);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, GatewayHarness.configYaml("http://127.0.0.1:5678", GatewayHarness.DEFAULT_ROUTES,
        serverExtra, options));
    return GatewayHarness.load(file);
  }
}
