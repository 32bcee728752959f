package io.gatehouse.sso.jwt;

import io.vertx.core.Future;
import java.util.List;

/** Where an issuer's signing keys come from; {@link HttpJwksSource} in production, a fake in tests. */
public interface JwksSource {
  /** The current key set. Never blocks; fails when the keys cannot be had now. */
  Future<List<JsonWebKey>> fetch();
}
