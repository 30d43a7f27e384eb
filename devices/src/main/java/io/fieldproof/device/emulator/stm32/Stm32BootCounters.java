package io.fieldproof.device.emulator.stm32;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulated bootloaders of one chip did, summed over its connections: commands run, NACKs
 * sent (bad complements, checksums, addresses, unknown commands), bytes ignored before the sync
 * byte, power cuts, and where GO last started the application. Thread-safe.
 */
public final class Stm32BootCounters {

  private final AtomicLong commands = new AtomicLong();
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicLong ignoredBytes = new AtomicLong();
  private final AtomicLong powerLosses = new AtomicLong();
  private final AtomicLong startedAt = new AtomicLong(-1);

  void command() {
    commands.incrementAndGet();
  }

  void nack() {
    nacks.incrementAndGet();
  }

  void ignored() {
    ignoredBytes.incrementAndGet();
  }

  void powerLost() {
    powerLosses.incrementAndGet();
  }

  void started(long address) {
    startedAt.set(address);
  }

  /** Commands that were acknowledged and run. */
  public long commands() {
    return commands.get();
  }

  public long nacks() {
    return nacks.get();
  }

  /** Bytes that arrived before the sync byte and were dropped. */
  public long ignoredBytes() {
    return ignoredBytes.get();
  }

  public long powerLosses() {
    return powerLosses.get();
  }

  /** The address GO last jumped to, if it ever did. */
  public OptionalLong startedAt() {
    long address = startedAt.get();
    return address < 0 ? OptionalLong.empty() : OptionalLong.of(address);
  }
}
