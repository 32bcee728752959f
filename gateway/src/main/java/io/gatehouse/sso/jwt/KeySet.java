package io.gatehouse.sso.jwt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One fetched JWKS, indexed by {@code kid} (a kid may name several keys, e.g. of different types). Immutable. */
final class KeySet {
  static final KeySet EMPTY = new KeySet(List.of());

  private final List<JsonWebKey> all;
  private final Map<String, List<JsonWebKey>> byKid;

  KeySet(List<JsonWebKey> keys) {
    this.all = List.copyOf(keys);
    Map<String, List<JsonWebKey>> index = new HashMap<>();
    for (JsonWebKey key : all) {
      if (key.kid() != null) index.computeIfAbsent(key.kid(), k -> new ArrayList<>()).add(key);
    }
    index.replaceAll((kid, list) -> List.copyOf(list));
    this.byKid = Map.copyOf(index);
  }

  /** The keys under {@code kid}, or null when the set has none (a miss, which may warrant a re-fetch). */
  List<JsonWebKey> withKid(String kid) {
    return byKid.get(kid);
  }

  /** Every key, for a token that names no {@code kid}. */
  List<JsonWebKey> all() {
    return all;
  }

  int size() {
    return all.size();
  }
}
