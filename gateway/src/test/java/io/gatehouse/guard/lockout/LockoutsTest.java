package io.gatehouse.guard.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.LogEvent;
import io.gatehouse.config.RateLimitsConfig.Lockout;
import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Reason;
import io.gatehouse.core.Route;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LockoutsTest {
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  private Lockouts lockouts(int failures, Duration within, Duration ban) {
    return Lockouts.local(new Lockout(failures, within, ban), 64, Clock.systemUTC(), audit::add, LockoutEvents.NONE);
  }

  private static ExchangeOutcome outcome(String client, String subject, int status, Reason reason) throws Exception {
    return new ExchangeOutcome(Instant.now(), "api", Route.Role.API, InetAddress.getByName(client), subject, status,
        reason);
  }

  private static void notLockedOut(Duration left) {
    assertThat(left.compareTo(Duration.ZERO)).as("locked out for another %s", left).isLessThanOrEqualTo(0);
  }

  @Test
  void onlyFailedAuthenticationsCount() throws Exception {
    Lockouts lockouts = lockouts(2, Duration.ofMinutes(1), Duration.ofMinutes(5));
    // A login redirect, a rate limit, a missing signature and a forwarded 401 from n8n itself are no guesses.
    lockouts.completed(outcome("192.0.2.1", null, 302, Reason.UNAUTHENTICATED));
    lockouts.completed(outcome("192.0.2.1", null, 429, Reason.RATE_LIMITED));
    lockouts.completed(outcome("192.0.2.1", null, 401, Reason.SIGNATURE_MISSING));
    lockouts.completed(outcome("192.0.2.1", null, 401, Reason.NONE));
    notLockedOut(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.1"))));
    lockouts.completed(outcome("192.0.2.1", null, 401, Reason.SIGNATURE_INVALID));
    lockouts.completed(outcome("192.0.2.1", null, 403, Reason.SSO_REQUIRED));
    assertThat(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.1"))))
        .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
  }

  @Test
  void editorRequestsWithoutALiveSessionAreNoGuesses() throws Exception {
    Lockouts lockouts = lockouts(2, Duration.ofMinutes(1), Duration.ofMinutes(5));
    for (int i = 0; i < 10; i++) {
      lockouts.completed(new ExchangeOutcome(Instant.now(), "editor", Route.Role.EDITOR,
          InetAddress.getByName("192.0.2.9"), null, 401, Reason.UNAUTHENTICATED));
    }
    assertThat(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.9"))))
        .satisfies(LockoutsTest::notLockedOut);
  }

  @Test
  void theWindowOpensWithTheFirstFailureAndClosesAfterWithin() throws Exception {
    Lockouts lockouts = lockouts(3, Duration.ofMillis(300), Duration.ofMinutes(5));
    lockouts.completed(outcome("192.0.2.2", null, 401, Reason.UNAUTHENTICATED));
    lockouts.completed(outcome("192.0.2.2", null, 401, Reason.UNAUTHENTICATED));
    Thread.sleep(450);
    lockouts.completed(outcome("192.0.2.2", null, 401, Reason.UNAUTHENTICATED));
    notLockedOut(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.2"))));
    lockouts.completed(outcome("192.0.2.2", null, 401, Reason.UNAUTHENTICATED));
    lockouts.completed(outcome("192.0.2.2", null, 401, Reason.UNAUTHENTICATED));
    assertThat(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.2")))).isPositive();
  }

  @Test
  void anIpv6HostRotatingThroughItsSlash64IsOneSourceAndAnIdentityIsCountedToo() throws Exception {
    Lockouts lockouts = lockouts(3, Duration.ofMinutes(1), Duration.ofMinutes(5));
    lockouts.completed(outcome("2001:db8:0:7::1", "alice", 401, Reason.UNAUTHENTICATED));
    lockouts.completed(outcome("2001:db8:0:7::2", "alice", 401, Reason.UNAUTHENTICATED));
    lockouts.completed(outcome("2001:db8:0:7:abcd::3", null, 401, Reason.UNAUTHENTICATED));
    assertThat(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("2001:db8:0:7::99")))).isPositive();
    notLockedOut(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("2001:db8:0:8::1"))));
    notLockedOut(lockouts.remaining(Lockouts.identityKey("alice")));
    lockouts.completed(outcome("198.51.100.9", "alice", 401, Reason.UNAUTHENTICATED));
    assertThat(lockouts.remaining(Lockouts.identityKey("alice"))).isPositive();
    assertThat(audit).filteredOn(e -> e instanceof LogEvent l && "start".equals(l.fields().get("event")))
        .extracting(e -> ((LogEvent) e).fields())
        .extracting(fields -> fields.getOrDefault("source", fields.get("subject")))
        .containsExactly("20010db800000007/64", "alice");
  }

  @Test
  void theEndOfABanIsAnAuditEventOnTime() throws Exception {
    Lockouts lockouts = lockouts(1, Duration.ofMinutes(1), Duration.ofMillis(500));
    Instant start = Instant.now();
    lockouts.completed(outcome("192.0.2.3", null, 401, Reason.UNAUTHENTICATED));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (audit.stream().noneMatch(e -> "end".equals(((LogEvent) e).fields().get("event")))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    LogEvent end = audit.stream().map(e -> (LogEvent) e).filter(e -> "end".equals(e.fields().get("event")))
        .findFirst().orElseThrow();
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(2500));
    assertThat(end.time()).isAfterOrEqualTo(start.plusMillis(500));
    notLockedOut(lockouts.remaining(lockouts.sourceKey(InetAddress.getByName("192.0.2.3"))));
  }
}
