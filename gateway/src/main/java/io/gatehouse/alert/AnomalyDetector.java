package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import java.util.function.Consumer;

/**
 * One rule over finished exchanges. {@link #observe} runs on the detectors' own thread only, so an implementation
 * keeps plain mutable state without locks; its memory must be bounded (caps on what it tracks, oldest evicted).
 */
interface AnomalyDetector {
  /**
   * Whether the rule looks at {@code outcome} at all. Runs on the event loop for every exchange, before the outcome
   * is queued: it reads the outcome only, never the detector's state.
   */
  boolean watches(ExchangeOutcome outcome);

  /** Learns from {@code outcome} (one it {@linkplain #watches watches}) and raises what it shows. */
  void observe(ExchangeOutcome outcome, Consumer<Alert> raise);
}
