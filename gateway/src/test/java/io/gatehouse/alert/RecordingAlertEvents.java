package io.gatehouse.alert;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What the alerting reported, for assertions; safe to call from any thread. */
final class RecordingAlertEvents implements AlertEvents {
  final List<String> raised = new CopyOnWriteArrayList<>();
  final List<String> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger outcomesDropped = new AtomicInteger();

  @Override public void alertRaised(AlertType type, String route) {
    raised.add(type.code() + "/" + (route == null ? "none" : route));
  }

  @Override public void webhookDelivery(String result) {
    deliveries.add(result);
  }

  @Override public void outcomeDropped() {
    outcomesDropped.incrementAndGet();
  }
}
