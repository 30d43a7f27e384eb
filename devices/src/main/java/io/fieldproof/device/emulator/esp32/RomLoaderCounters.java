package io.fieldproof.device.emulator.esp32;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulated ROM loaders of one chip refused or threw away, over all its connections.
 * Thread-safe.
 */
public final class RomLoaderCounters {

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /**
   * Frames dropped without an answer: a broken SLIP escape, an oversized frame, a frame that is no
   * command (too short, wrong direction), anything before the first SYNC, anything after the chip
   * lost power or left the loader.
   */
  public long droppedFrames() {
    return dropped.get();
  }

  /** Commands answered with error 0x05 (invalid message): unknown, wrong length, bad size field. */
  public long malformedCommands() {
    return malformed.get();
  }

  /** Commands answered with any error, the malformed ones included. */
  public long refusedCommands() {
    return refused.get();
  }

  void dropped() {
    dropped.incrementAndGet();
  }

  void refused(RomError error) {
    refused.incrementAndGet();
    if (error.code() == RomError.INVALID_MESSAGE.code()) {
      malformed.incrementAndGet();
    }
  }
}
