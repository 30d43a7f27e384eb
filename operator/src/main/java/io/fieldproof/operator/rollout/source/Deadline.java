package io.fieldproof.operator.rollout.source;

import java.time.Duration;

/** The moment a whole fetch must be over, on the monotonic clock. */
final class Deadline {

  private final long at;

  private Deadline(long at) {
    this.at = at;
  }

  static Deadline in(Duration duration) {
    return new Deadline(System.nanoTime() + duration.toNanos());
  }

  /** Whole milliseconds left, at least 1 while any time is left; 0 once it has passed. */
  int remainingMillis() {
    long nanos = at - System.nanoTime();
    if (nanos <= 0) {
      return 0;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000));
  }

  boolean passed() {
    return remainingMillis() == 0;
  }
}
