package io.fieldproof.device.emulator;

import java.util.SplittableRandom;

/**
 * Damages outgoing frames at a configurable rate, deterministically from a seed: flips the bits of
 * one byte of the raw frame after its CRC was computed, so a receiver must detect it. Thread-safe.
 */
final class FaultInjector {

  private final SplittableRandom random;
  private double corruptionRate;
  private long corrupted;

  FaultInjector(long seed) {
    this.random = new SplittableRandom(seed);
  }

  synchronized void corruptionRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate must be within 0..1, not " + rate);
    }
    this.corruptionRate = rate;
  }

  /** {@code raw} itself, or a corrupted copy. */
  synchronized byte[] apply(byte[] raw) {
    if (corruptionRate == 0 || random.nextDouble() >= corruptionRate) {
      return raw;
    }
    byte[] damaged = raw.clone();
    int position = random.nextInt(damaged.length);
    damaged[position] ^= (byte) random.nextInt(1, 256);
    corrupted++;
    return damaged;
  }

  synchronized long corrupted() {
    return corrupted;
  }
}
