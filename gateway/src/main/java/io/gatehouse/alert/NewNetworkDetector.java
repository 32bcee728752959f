package io.gatehouse.alert;

import io.gatehouse.core.ExchangeOutcome;
import io.gatehouse.core.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code new_network}: per subject, the networks (IPv4 /24, IPv6 /48) it reached the editor from, successfully
 * ({@code EDITOR} route, a subject, status below 400), within the last {@link #KEEP}. The first network of a subject
 * the detector knows nothing of is its baseline, without an alert; a later network not among its recent ones raises
 * an alert once and joins them. A subject whose networks have all aged out, or who was dropped for room, starts again
 * with a baseline: there is nothing to compare with.
 *
 * <p>Memory: at most {@value #MAX_PER_SUBJECT} networks per subject (the least recently seen dropped first) and
 * {@value #MAX_SUBJECTS} subjects (the one seen longest ago dropped first), 12 bytes a network plus about 200 bytes a
 * subject: some 60 MB if every one of 100,000 people had 32 networks, a few MB for a few thousand people.
 */
final class NewNetworkDetector implements AnomalyDetector {
  static final int V4_PREFIX = 24;
  static final int V6_PREFIX = 48;
  static final Duration KEEP = Duration.ofDays(30);
  static final int MAX_PER_SUBJECT = 32;
  static final int MAX_SUBJECTS = 100_000;
  /** Networks named in an alert's detail besides the new one. */
  private static final int SHOWN = 3;

  private final BoundedLruMap<String, Networks> subjects = new BoundedLruMap<>(MAX_SUBJECTS);

  /** One subject's recent networks (packed, see {@link Network#pack}) and when each was last seen, in minutes. */
  private static final class Networks {
    long[] packed = new long[2];
    int[] seenMinute = new int[2];
    int size;

    int indexOf(long network) {
      for (int i = 0; i < size; i++) if (packed[i] == network) return i;
      return -1;
    }

    void expire(int before) {
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (seenMinute[i] >= before) {
          packed[kept] = packed[i];
          seenMinute[kept++] = seenMinute[i];
        }
      }
      size = kept;
    }

    void add(long network, int minute) {
      if (size == MAX_PER_SUBJECT) {
        int oldest = 0;
        for (int i = 1; i < size; i++) if (seenMinute[i] < seenMinute[oldest]) oldest = i;
        packed[oldest] = network;
        seenMinute[oldest] = minute;
        return;
      }
      if (size == packed.length) {
        packed = java.util.Arrays.copyOf(packed, Math.min(MAX_PER_SUBJECT, size * 2));
        seenMinute = java.util.Arrays.copyOf(seenMinute, packed.length);
      }
      packed[size] = network;
      seenMinute[size++] = minute;
    }
  }

  @Override
  public boolean watches(ExchangeOutcome outcome) {
    return outcome.role() == Route.Role.EDITOR && outcome.subject() != null && outcome.status() < 400
        && outcome.client() != null;
  }

  @Override
  public void observe(ExchangeOutcome outcome, Consumer<Alert> raise) {
    Network network = Network.of(outcome.client(), V4_PREFIX, V6_PREFIX);
    long packed = network.pack();
    int minute = (int) (outcome.time().getEpochSecond() / 60);
    Networks known = subjects.computeIfAbsent(outcome.subject(), s -> new Networks());
    known.expire(minute - (int) KEEP.toMinutes());
    int index = known.indexOf(packed);
    if (index >= 0) {
      known.seenMinute[index] = Math.max(known.seenMinute[index], minute);
      return;
    }
    if (known.size > 0) {
      raise.accept(new Alert(AlertType.NEW_NETWORK, outcome.time(), outcome.route(), network.toString(),
          outcome.subject(), "reached the editor from " + network + ", not seen for this subject in the last "
              + KEEP.toDays() + " days (known: " + shown(known) + ")", (long) known.size, null));
    }
    known.add(packed, minute);
  }

  private static String shown(Networks known) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN, known.size); i++) {
      names.add(Network.unpack(known.packed[i], V4_PREFIX, V6_PREFIX).toString());
    }
    return String.join(", ", names) + (known.size > SHOWN ? ", and " + (known.size - SHOWN) + " more" : "");
  }
}
