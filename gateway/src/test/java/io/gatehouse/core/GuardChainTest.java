package io.gatehouse.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardChainTest {
  private static final Identity ALICE =
      new Identity("sub-alice", "alice@example.test", "Alice", List.of("n8n-users"), true, "s-1", null);

  @Test
  void aPassesIdentityAndHeadersBelongToTheExchangeForTheGuardsAfterIt() {
    List<Optional<Identity>> seenByNext = new ArrayList<>();
    Guard authenticate = exchange -> Verdict.pass(ALICE, ResponseHeaders.of("Set-Cookie", "s=refreshed"));
    Guard identityRule = exchange -> {
      seenByNext.add(exchange.identity());
      return Verdict.PASS;
    };
    Exchange exchange = new Exchange("req-1", null);

    Verdict verdict = new GuardChain(List.of(authenticate, identityRule)).run(exchange).result();

    assertThat(verdict).isInstanceOf(Verdict.Pass.class);
    assertThat(seenByNext).containsExactly(Optional.of(ALICE));
    assertThat(exchange.identity()).contains(ALICE);
    assertThat(exchange.responseHeaders().lines()).containsExactly(new ResponseHeaders.Line("Set-Cookie", "s=refreshed"));
  }

  @Test
  void aRefusalKeepsItsStatusAndHeadersAndStopsTheChain() {
    List<String> ran = new ArrayList<>();
    Guard refuse = exchange -> Verdict.refuse(Reason.UNAUTHENTICATED,
        ResponseHeaders.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    Guard after = exchange -> {
      ran.add("after");
      return Verdict.PASS;
    };

    Verdict verdict = new GuardChain(List.of(refuse, after)).run(new Exchange("req-2", null)).result();

    Verdict.Refuse refusal = (Verdict.Refuse) verdict;
    assertThat(refusal.status()).isEqualTo(401);
    assertThat(refusal.reason()).isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(refusal.headers().first("www-authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    assertThat(refusal.isRedirect()).isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  void aRedirectIsA302WithItsLocationFirstAndIsRecordedWithItsReason() {
    Verdict.Refuse redirect = (Verdict.Refuse) Verdict.redirect(Reason.UNAUTHENTICATED, "https://idp.example/auth?x=1",
        ResponseHeaders.of("Set-Cookie", "login=sealed")).result();

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.isRedirect()).isTrue();
    assertThat(redirect.reason()).isEqualTo(Reason.UNAUTHENTICATED);
    assertThat(redirect.headers().lines()).containsExactly(
        new ResponseHeaders.Line("Location", "https://idp.example/auth?x=1"),
        new ResponseHeaders.Line("Set-Cookie", "login=sealed"));
  }

  @Test
  void aGuardThatThrowsOrFailsIsAGuardErrorAndNamedInTheExchange() {
    Guard throwing = exchange -> {
      throw new IllegalStateException("bug");
    };
    Guard failing = exchange -> Future.failedFuture(new IllegalStateException("bug"));
    for (Guard guard : List.of(throwing, failing)) {
      Exchange exchange = new Exchange("req-3", null);

      Verdict verdict = new GuardChain(List.of(guard)).run(exchange).result();

      assertThat(verdict).isEqualTo(new Verdict.Refuse(Reason.GUARD_ERROR));
      assertThat(exchange.guardFailure()).isPresent();
      assertThat(exchange.identity()).isEmpty();
    }
  }

  @Test
  void aGuardWhoseAnswerComesLaterHoldsTheRestOfTheChainUntilItDoes() {
    List<String> ran = new ArrayList<>();
    io.vertx.core.Promise<Verdict> later = io.vertx.core.Promise.promise();
    Guard first = exchange -> {
      ran.add("first");
      return Verdict.PASS;
    };
    Guard pending = exchange -> {
      ran.add("pending");
      return later.future();
    };
    Guard last = exchange -> {
      ran.add("last");
      return exchange.identity().isPresent() ? Verdict.PASS : Verdict.refuse(Reason.UNAUTHENTICATED);
    };
    Exchange exchange = new Exchange("req-4", null);

    Future<Verdict> verdict = new GuardChain(List.of(first, pending, last)).run(exchange);
    assertThat(verdict.isComplete()).isFalse();
    assertThat(ran).containsExactly("first", "pending");
    later.complete(new Verdict.Pass(Optional.of(ALICE), ResponseHeaders.NONE));

    assertThat(verdict.result()).isInstanceOf(Verdict.Pass.class);
    assertThat(ran).containsExactly("first", "pending", "last");
  }

  @Test
  void aGuardThatAnswersNoVerdictFailsClosed() {
    for (Guard nothing : List.<Guard>of(exchange -> Future.succeededFuture(null), exchange -> {
      io.vertx.core.Promise<Verdict> later = io.vertx.core.Promise.promise();
      later.complete(null);
      return later.future();
    })) {
      Exchange exchange = new Exchange("req-5", null);
      assertThat(new GuardChain(List.of(nothing)).run(exchange).result()).isEqualTo(new Verdict.Refuse(Reason.GUARD_ERROR));
      assertThat(exchange.guardFailure()).isPresent();
    }
  }

  @Test
  void responseHeadersNeverShowTheirValues() {
    assertThat(ResponseHeaders.of("Set-Cookie", "secret-session-value").toString())
        .contains("Set-Cookie").doesNotContain("secret-session-value");
  }
}
