package io.gatehouse.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RedisConfig;
import io.gatehouse.config.Secret;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every Redis client is built with; the real handshakes are in the stores' tests against redis-server. */
class RedisClientsTest {
  private static final Secret PASSWORD = new Secret("acl-password-never-shown", true);

  private static RedisConfig tls(RedisConfig.Tls files) {
    return new RedisConfig(URI.create("rediss://redis.internal:6380"), Optional.of("gatehouse"),
        Optional.of(PASSWORD), files);
  }

  @Test
  void redissSpeaksOnlyTls12And13ChecksTheHostNameAndTrustsTheConfiguredCa() {
    RedisConfig config = tls(new RedisConfig.Tls(Optional.of(Path.of("/etc/gatehouse/redis-ca.crt")),
        Optional.of(Path.of("/etc/gatehouse/redis-client.crt")), Optional.of(Path.of("/etc/gatehouse/redis.key"))));

    NetClientOptions net = RedisClients.options(config, Duration.ofMillis(750), 16).getNetClientOptions();

    assertThat(net.isSsl()).isTrue();
    assertThat(net.isTrustAll()).isFalse();
    assertThat(net.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(net.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    assertThat(((PemTrustOptions) net.getTrustOptions()).getCertPaths())
        .containsExactly("/etc/gatehouse/redis-ca.crt");
    PemKeyCertOptions client = (PemKeyCertOptions) net.getKeyCertOptions();
    assertThat(client.getCertPaths()).containsExactly("/etc/gatehouse/redis-client.crt");
    assertThat(client.getKeyPaths()).containsExactly("/etc/gatehouse/redis.key");
    assertThat(net.getConnectTimeout()).isEqualTo(750);
    assertThat(net.isTcpNoDelay()).isTrue();
  }

  @Test
  void redissWithoutACaTrustsTheJvmDefaultsAndPresentsNoClientCertificate() {
    NetClientOptions net = RedisClients.options(tls(RedisConfig.Tls.NONE), Duration.ofSeconds(1), 4)
        .getNetClientOptions();

    assertThat(net.isSsl()).isTrue();
    assertThat(net.getTrustOptions()).isNull();
    assertThat(net.isTrustAll()).isFalse();
    assertThat(net.getKeyCertOptions()).isNull();
  }

  @Test
  void loginGoesIntoTheOptionsAndPoolLimitsGrowWithThePool() {
    RedisOptions options = RedisClients.options(tls(RedisConfig.Tls.NONE), Duration.ofSeconds(1), 16);

    assertThat(options.getUser()).isEqualTo("gatehouse");
    assertThat(options.getPassword()).isEqualTo(PASSWORD.value());
    assertThat(options.getEndpoint()).isEqualTo("rediss://redis.internal:6380");
    assertThat(options.getMaxPoolSize()).isEqualTo(16);
    assertThat(options.getMaxPoolWaiting()).isEqualTo(16 * RedisClients.WAITING_PER_CONNECTION);
    assertThat(options.getMaxWaitingHandlers()).isEqualTo(16 * RedisClients.WAITING_PER_CONNECTION);
  }

  @Test
  void plainRedisHasNoTlsAndABareUrlNoLogin() {
    RedisOptions options = RedisClients.options(RedisConfig.ofUrl(URI.create("redis://127.0.0.1:6379")),
        Duration.ofSeconds(1), 4);

    assertThat(options.getNetClientOptions().isSsl()).isFalse();
    assertThat(options.getUser()).isNull();
    assertThat(options.getPassword()).isNull();
  }

  @Test
  void describeBlanksSecretsInTheRootCauseToo() {
    Exception wrapped = new RuntimeException("outer", new IllegalStateException("inner " + PASSWORD.value()));

    assertThat(RedisClients.describe(wrapped, tls(RedisConfig.Tls.NONE)))
        .isEqualTo("RuntimeException: outer (caused by IllegalStateException: inner ***)");
  }

  @Test
  void endpointNamesHostAndPortOnlyNeverTheUserinfo() {
    assertThat(RedisClients.endpoint(RedisConfig.ofUrl(URI.create("rediss://app:url-secret@redis.internal:6380/2"))))
        .isEqualTo("redis.internal:6380");
    assertThat(RedisClients.endpoint(RedisConfig.ofUrl(URI.create("redis://10.0.0.5")))).isEqualTo("10.0.0.5:6379");
  }

  @Test
  void describeGivesClassAndMessageWithEveryPasswordBlanked() {
    RedisConfig inUrl = RedisConfig.ofUrl(URI.create("rediss://app:p%40ss-in-url@redis.internal:6380"));
    Exception quoting = new IllegalStateException("cannot log in with p@ss-in-url as app:p%40ss-in-url",
        new ConnectException("refused"));

    String described = RedisClients.describe(quoting, inUrl);

    assertThat(described).startsWith("IllegalStateException: cannot log in with *** as ***")
        .endsWith("(caused by ConnectException: refused)")
        .doesNotContain("p@ss-in-url").doesNotContain("p%40ss-in-url");
    assertThat(RedisClients.describe(new RuntimeException("WRONGPASS for " + PASSWORD.value()),
        tls(RedisConfig.Tls.NONE))).isEqualTo("RuntimeException: WRONGPASS for ***");
    assertThat(RedisClients.describe(new java.util.concurrent.TimeoutException(), tls(RedisConfig.Tls.NONE)))
        .isEqualTo("TimeoutException");
  }
}
