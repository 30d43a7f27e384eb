package io.fieldproof.device.protocol;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts frames that arrived damaged and were dropped, in total and per {@link
 * FrameException.Reason}. Thread-safe; one instance can be shared by the successive decoders of a
 * link that reconnects.
 */
public final class DroppedFrames {

  private final AtomicLongArray counts = new AtomicLongArray(FrameException.Reason.values().length);

  /** Counts one dropped frame. */
  public void record(FrameException.Reason reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  /** All frames dropped so far. */
  public long total() {
    long total = 0;
    for (int i = 0; i < counts.length(); i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** Frames dropped so far for {@code reason}. */
  public long count(FrameException.Reason reason) {
    return counts.get(reason.ordinal());
  }

  /** A snapshot of the per-reason counts. */
  public Map<FrameException.Reason, Long> byReason() {
    Map<FrameException.Reason, Long> snapshot = new EnumMap<>(FrameException.Reason.class);
    for (FrameException.Reason reason : FrameException.Reason.values()) {
      snapshot.put(reason, count(reason));
    }
    return snapshot;
  }
}
