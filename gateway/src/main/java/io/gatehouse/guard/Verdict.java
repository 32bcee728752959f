package io.gatehouse.guard;

import io.vertx.core.Future;

/** What a guard decided: let the exchange go on, or refuse it with a reason. */
public sealed interface Verdict {
  record Pass() implements Verdict {}

  record Refuse(Reason reason) implements Verdict {
    public int status() {
      return reason.status();
    }
  }

  Future<Verdict> PASS = Future.succeededFuture(new Pass());

  static Future<Verdict> refuse(Reason reason) {
    return Future.succeededFuture(new Refuse(reason));
  }
}
