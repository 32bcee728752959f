package io.gatehouse.audit.scrub.body;

/**
 * One spare set of {@link ScratchBuffers} per thread, for the bodies a {@code Scrubber} handles: a body takes the
 * spare set of the thread it starts on (or a new one, if that thread's is out with a body still open) and gives it
 * back when it ends, on whatever thread that is. A set is thus owned by one body or one thread's slot at a time, and
 * never shared. It belongs to one {@code Scrubber} (not static): a scrubber dropped at a config reload takes its
 * spare buffers with it, once each thread's map lets go of the stale entry.
 */
public final class ScratchPool {
  private final ThreadLocal<ScratchBuffers> spare = new ThreadLocal<>();

  /** This thread's spare buffers, or new ones. */
  public ScratchBuffers take() {
    ScratchBuffers buffers = spare.get();
    if (buffers == null) return new ScratchBuffers();
    spare.set(null);
    return buffers;
  }

  /** Gives back buffers a finished body no longer uses; kept if this thread has none spare and they are small. */
  public void give(ScratchBuffers buffers) {
    if (buffers.worthKeeping() && spare.get() == null) spare.set(buffers);
  }
}
