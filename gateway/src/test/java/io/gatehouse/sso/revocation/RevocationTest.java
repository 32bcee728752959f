package io.gatehouse.sso.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.sso.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The message replicas exchange, and what the memory covers. */
class RevocationTest {
  private static final Instant AT = Instant.parse("2026-12-01T12:00:00.123Z");

  @Test void aMessageCarriesAnyValueWholeAndForeignMessagesAreIgnored() {
    for (Revocation r : List.of(Revocation.session("abc", AT), Revocation.idpSession("sid with spaces", AT),
        Revocation.subject("sub 1 2\nthree", AT), Revocation.subject("", AT.plusMillis(1)))) {
      if (r.value().isEmpty()) {
        assertThat(Revocation.fromMessage(r.toMessage())).as("an empty value is not a revocation").isEmpty();
      } else {
        assertThat(Revocation.fromMessage(r.toMessage())).contains(r);
      }
    }
    for (String foreign : List.of("", "session", "session 12", "other 12 x", "session x y", "session  x")) {
      assertThat(Revocation.fromMessage(foreign)).as(foreign).isEmpty();
    }
  }

  @Test void theMemoryCoversASessionByIdBySidAndBySubjectUpToWhenItWasRevoked() {
    RevokedSet memory = new RevokedSet(Duration.ofHours(1));
    Session early = session("s1", "sid-1", "sub-1", AT.minusSeconds(60));
    Session later = session("s2", "sid-2", "sub-1", AT.plusSeconds(60));
    Session other = session("s3", null, "sub-2", AT);

    memory.add(Revocation.subject("sub-1", AT));
    assertThat(memory.covers(early)).isTrue();
    assertThat(memory.covers(later)).as("started after the revocation").isFalse();
    memory.add(Revocation.subject("sub-1", AT.minusSeconds(3600)));
    assertThat(memory.covers(early)).as("an older revocation arriving late does not shorten it").isTrue();

    assertThat(memory.covers(other)).isFalse();
    memory.add(Revocation.session("s3", AT));
    assertThat(memory.covers(other)).isTrue();
    memory.add(Revocation.idpSession("sid-2", AT));
    assertThat(memory.covers(later)).isTrue();
  }

  private static Session session(String id, String sid, String subject, Instant created) {
    return new Session(id, subject, "a@example.test", null, List.of(), false, null, sid, created, created, created,
        "refresh");
  }
}
