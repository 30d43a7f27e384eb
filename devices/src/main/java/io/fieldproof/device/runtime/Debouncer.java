package io.fieldproof.device.runtime;

/** An alarm only after minConsecutive alarm candidates in a row. */
final class Debouncer {

  private final int minConsecutive;
  private int run;

  Debouncer(int minConsecutive) {
    this.minConsecutive = Math.max(1, minConsecutive);
  }

  boolean offer(boolean candidate) {
    run = candidate ? run + 1 : 0;
    return run >= minConsecutive;
  }

  void reset() {
    run = 0;
  }
}
