package io.gatehouse.guard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Rate;
import io.gatehouse.config.RouteConfig.LimitKey;
import io.gatehouse.config.RouteConfig.RateLimitConfig;
import io.gatehouse.core.ResponseHeaders;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static final LimitPolicy CLIENT_20_PER_S = LimitPolicy.of("webhooks",
      new RateLimitConfig(LimitKey.CLIENT_IP, Optional.empty(), new Rate(20, Duration.ofSeconds(1)), 40));

  @Test
  void thePolicyGivesTheBucketSizeAndTheSecondsItTakesToRefill() {
    assertThat(RateLimitHeaders.policy(CLIENT_20_PER_S)).isEqualTo("\"client_ip\";q=40;w=2");
    LimitPolicy header = LimitPolicy.of("api", new RateLimitConfig(LimitKey.HEADER, Optional.of("x-tenant"),
        new Rate(600, Duration.ofMinutes(1)), 100));
    assertThat(RateLimitHeaders.policy(header)).isEqualTo("\"header:x-tenant\";q=100;w=10");
  }

  @Test
  void aRefusalSaysTheRealWaitRoundedUpAndWhenTheBucketIsFull() {
    Decision refused = new Decision(false, CLIENT_20_PER_S, 0, Duration.ofMillis(1200).toNanos(),
        Duration.ofMillis(30_001).toNanos());
    ResponseHeaders headers = RateLimitHeaders.refusal(refused, RateLimitHeaders.policy(CLIENT_20_PER_S));
    assertThat(headers.lines()).containsExactly(
        new ResponseHeaders.Line("Retry-After", "2"),
        new ResponseHeaders.Line("RateLimit-Policy", "\"client_ip\";q=40;w=2"),
        new ResponseHeaders.Line("RateLimit", "\"client_ip\";r=0;t=31"));
  }

  @Test
  void aWaitUnderASecondIsOneSecondNeverZero() {
    assertThat(RateLimitHeaders.seconds(1)).isEqualTo(1);
    assertThat(RateLimitHeaders.seconds(0)).isEqualTo(1);
    assertThat(RateLimitHeaders.seconds(Duration.ofSeconds(3).toNanos())).isEqualTo(3);
    assertThat(RateLimitHeaders.seconds(Duration.ofSeconds(3).toNanos() + 1)).isEqualTo(4);
  }
}
