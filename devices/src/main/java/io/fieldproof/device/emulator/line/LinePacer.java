package io.fieldproof.device.emulator.line;

import java.util.concurrent.locks.LockSupport;

/**
 * Makes bytes take the time they take on a UART: {@code bits / baud} seconds each, back to back.
 * One pacer per direction. Thread-safe.
 */
final class LinePacer {

  private volatile int baud;
  private final int bitsPerByte;
  private long lineFreeAtNanos;

  LinePacer(int baud, int bitsPerByte) {
    this.baud = baud;
    this.bitsPerByte = bitsPerByte;
  }

  void baud(int newBaud) {
    this.baud = newBaud;
  }

  int baud() {
    return baud;
  }

  /** Blocks until {@code count} more bytes would have gone over the line. */
  void pass(int count) {
    int current = baud;
    if (current <= 0 || count <= 0) {
      return;
    }
    long until;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, lineFreeAtNanos);
      lineFreeAtNanos = start + count * (long) bitsPerByte * 1_000_000_000L / current;
      until = lineFreeAtNanos;
    }
    long wait;
    while ((wait = until - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
