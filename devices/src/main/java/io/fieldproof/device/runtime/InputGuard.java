package io.fieldproof.device.runtime;

import io.fieldproof.protocol.RuntimeConfig;

/**
 * Validates the readings of one input, in order: dropout, valid range, stuck (N identical
 * readings), step from the previous valid reading. Holds only what that needs: the previous reading
 * and a run length.
 */
final class InputGuard {

  private final RuntimeConfig.Input input;
  private double previous = Double.NaN;
  private double lastValid = Double.NaN;
  private int identicalRun;

  InputGuard(RuntimeConfig.Input input) {
    this.input = input;
  }

  String name() {
    return input.name();
  }

  ReadingVerdict check(Double reading) {
    if (reading == null || reading.isNaN()) {
      return ReadingVerdict.DROPOUT;
    }
    double value = reading;
    identicalRun = value == previous ? identicalRun + 1 : 1;
    previous = value;
    if ((input.min() != null && value < input.min())
        || (input.max() != null && value > input.max())) {
      return ReadingVerdict.OUT_OF_RANGE;
    }
    if (input.stuckSamples() != null && identicalRun >= input.stuckSamples()) {
      return ReadingVerdict.STUCK;
    }
    if (input.maxStep() != null
        && !Double.isNaN(lastValid)
        && Math.abs(value - lastValid) > input.maxStep()) {
      lastValid = value;
      return ReadingVerdict.UNSTABLE;
    }
    lastValid = value;
    return ReadingVerdict.OK;
  }

  /** Normalizes a valid reading as configured: z-score or min-max; identity without one. */
  double normalize(double value) {
    RuntimeConfig.Normalize n = input.normalize();
    if (n == null) {
      return value;
    }
    return "minmax".equals(n.kind()) ? (value - n.a()) / (n.b() - n.a()) : (value - n.a()) / n.b();
  }
}
