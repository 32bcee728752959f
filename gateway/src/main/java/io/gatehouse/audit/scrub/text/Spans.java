package io.gatehouse.audit.scrub.text;

import io.gatehouse.audit.scrub.PhiType;
import java.util.Arrays;

/** The redactions found in one text: ranges in increasing order that never overlap. Reused; not thread-safe. */
public final class Spans {
  private int[] starts = new int[8];
  private int[] ends = new int[8];
  private PhiType[] types = new PhiType[8];
  private int count;

  public int count() {
    return count;
  }

  public int start(int i) {
    return starts[i];
  }

  public int end(int i) {
    return ends[i];
  }

  public PhiType type(int i) {
    return types[i];
  }

  public void clear() {
    count = 0;
  }

  void add(int start, int end, PhiType type) {
    if (count > 0 && start < ends[count - 1]) throw new IllegalStateException("overlapping span");
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      types = Arrays.copyOf(types, count * 2);
    }
    starts[count] = start;
    ends[count] = end;
    types[count] = type;
    count++;
  }

  /** Writes {@code text[from, to)} with every span replaced by its marker. */
  public void apply(char[] text, int from, int to, StringBuilder out) {
    int at = from;
    for (int i = 0; i < count; i++) {
      out.append(text, at, starts[i] - at).append(types[i].marker());
      at = ends[i];
    }
    out.append(text, at, to - at);
  }
}
