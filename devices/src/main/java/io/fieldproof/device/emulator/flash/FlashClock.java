package io.fieldproof.device.emulator.flash;

import java.util.concurrent.locks.LockSupport;

/**
 * The time a flash chip is busy erasing and programming, kept as the moment it will be ready again.
 * Work is charged as it is started: back to back when the chip is still busy, from now when it is
 * idle. A controller that must wait for the chip (the ROM, before it replies; a stub, before its
 * next command) calls {@link #awaitReady}, which sleeps until then; one that need not carries on
 * while the chip works, as a stub does while the next block comes over the line. Thread-safe.
 */
public final class FlashClock {

  private final FlashTimings timings;
  private long readyAtNanos = Long.MIN_VALUE;
  private long busyNanos;

  public FlashClock(FlashTimings timings) {
    this.timings = timings;
  }

  public FlashTimings timings() {
    return timings;
  }

  /** The chip erases the sectors (and whole blocks) holding {@code [offset, offset + length)}. */
  public void erasing(long offset, long length) {
    charge(timings.eraseNanos(offset, length));
  }

  /** The chip erases one unit of {@code size} bytes ({@link FlashTimings#SECTOR} or BLOCK). */
  public void erasingUnit(int size) {
    charge(timings.unitEraseNanos(size));
  }

  /** The chip erases all of itself. */
  public void erasingChip() {
    charge(timings.chipEraseNanos());
  }

  /** The chip programs {@code [offset, offset + length)}, page by page. */
  public void programming(long offset, long length) {
    charge(timings.programNanos(offset, length));
  }

  /** Blocks until the chip has finished all the work charged so far. */
  public void awaitReady() {
    long until;
    synchronized (this) {
      until = readyAtNanos;
    }
    long wait;
    while (until != Long.MIN_VALUE && (wait = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }

  /** All the busy time charged so far, in nanoseconds. */
  public synchronized long busyNanos() {
    return busyNanos;
  }

  private synchronized void charge(long nanos) {
    if (nanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    long start = readyAtNanos == Long.MIN_VALUE ? now : Math.max(now, readyAtNanos);
    readyAtNanos = start + nanos;
    busyNanos += nanos;
  }
}
