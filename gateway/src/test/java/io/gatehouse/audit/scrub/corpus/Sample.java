package io.gatehouse.audit.scrub.corpus;

import java.util.List;

/** One generated webhook body with what it holds: PHI to remove and hard negatives to keep. */
record Sample(String kind, String json, List<Planted> phi, List<String> negatives) {}
