package io.fieldproof.agent;

import java.time.Duration;

/**
 * A fixed-window budget: at most {@code limit} takes per window. Not thread-safe: its owner
 * serializes the calls (a device supervisor's executor).
 */
final class RaiseBudget {

  private final int limit;
  private final long windowNanos;
  private long windowStart;
  private int taken;
  private boolean started;

  RaiseBudget(int limit, Duration window) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
  }

  /** Whether one more may be raised at {@code nowNanos} (System.nanoTime). */
  boolean tryTake(long nowNanos) {
    if (!started || nowNanos - windowStart >= windowNanos) {
      started = true;
      windowStart = nowNanos;
      taken = 0;
    }
    if (taken >= limit) {
      return false;
    }
    taken++;
    return true;
  }
}
