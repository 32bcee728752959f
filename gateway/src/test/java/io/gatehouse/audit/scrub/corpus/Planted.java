package io.gatehouse.audit.scrub.corpus;

import io.gatehouse.audit.scrub.PhiType;

/**
 * One labelled value in a generated payload: PHI of {@code type} the scrubber must remove, found either as a
 * field's whole value ({@code freeText} false: by the field's name or by the value's own format) or inside prose.
 */
record Planted(String value, PhiType type, boolean freeText) {}
