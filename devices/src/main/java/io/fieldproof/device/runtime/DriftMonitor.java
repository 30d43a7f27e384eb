package io.fieldproof.device.runtime;

import io.fieldproof.protocol.RuntimeConfig;

/**
 * Drift of one input against its training reference (docs/device-runtime.md, step 6): a running
 * mean of the valid raw readings, the plain mean of the first {@code window} readings and then an
 * exponentially weighted one with weight 1/window; its shift from the reference mean in reference
 * standard deviations is the drift magnitude, and the input is drifting while that shift has been
 * above the limit for minSamples readings in a row. O(1) memory per input (the C firmware's
 * fp_drift holds the same state in 32 bytes); the reference comes with the config, so a reboot
 * loses only the running mean, which the next readings rebuild.
 */
final class DriftMonitor {

  /** The magnitude reported for a shift this large or not finite, in milli-sigma. */
  static final long MAX_MILLI_SIGMA = 1_000_000_000L;

  private final RuntimeConfig.Reference reference;
  private final long window;
  private final double maxShiftSigma;
  private final long minSamples;
  private long samples;
  private double mean;
  private long beyond;

  /**
   * @param reference the training reference in raw units, or null: the input is not checked
   * @param window readings the running mean averages over, at least 2
   */
  DriftMonitor(
      RuntimeConfig.Reference reference, long window, double maxShiftSigma, long minSamples) {
    this.reference = reference != null && reference.std() > 0 ? reference : null;
    this.window = Math.max(2, window);
    this.maxShiftSigma = maxShiftSigma;
    this.minSamples = Math.max(1, minSamples);
  }

  /** Takes one valid raw reading. */
  void add(double raw) {
    if (reference == null) {
      return;
    }
    if (samples < Long.MAX_VALUE) {
      samples++;
    }
    double weight = samples < window ? 1.0 / samples : 1.0 / window;
    mean += weight * (raw - mean);
    beyond = shiftSigma() > maxShiftSigma ? Math.min(beyond + 1, Long.MAX_VALUE - 1) : 0;
  }

  /** Whether the input has a reference and has seen a reading: its magnitude means something. */
  boolean measured() {
    return reference != null && samples > 0;
  }

  boolean drifting() {
    return measured() && beyond >= minSamples;
  }

  /** |running mean - reference mean| / reference std; 0 before the first reading. */
  double shiftSigma() {
    return measured() ? Math.abs(mean - reference.mean()) / reference.std() : 0;
  }

  /** The shift in thousandths of a standard deviation, truncated; capped at MAX_MILLI_SIGMA. */
  long milliSigma() {
    double shift = shiftSigma();
    return shift < MAX_MILLI_SIGMA / 1000.0 ? (long) (shift * 1000) : MAX_MILLI_SIGMA;
  }
}
