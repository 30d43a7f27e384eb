package io.fieldproof.device.runtime;

/**
 * Drift of one normalized input: the first full window sets the baseline mean and standard
 * deviation; afterwards the input is drifting while the mean of the latest window lies more than
 * maxMeanShiftSigma baseline deviations from the baseline mean. A ring buffer of fixed size:
 * nothing is allocated per sample.
 */
final class DriftMonitor {

  private final double[] window;
  private final double maxShiftSigma;
  private int count;
  private int next;
  private double sum;
  private boolean baselineSet;
  private double baselineMean;
  private double baselineStd;

  DriftMonitor(int windowSamples, double maxShiftSigma) {
    this.window = new double[Math.max(2, windowSamples)];
    this.maxShiftSigma = maxShiftSigma;
  }

  void add(double normalized) {
    if (count == window.length) {
      sum -= window[next];
    } else {
      count++;
    }
    window[next] = normalized;
    sum += normalized;
    next = (next + 1) % window.length;
    if (!baselineSet && count == window.length) {
      baselineMean = sum / count;
      double squares = 0;
      for (double x : window) {
        squares += (x - baselineMean) * (x - baselineMean);
      }
      baselineStd = Math.max(Math.sqrt(squares / count), 1e-6);
      baselineSet = true;
    }
  }

  boolean drifting() {
    return baselineSet
        && count == window.length
        && Math.abs(sum / count - baselineMean) > maxShiftSigma * baselineStd;
  }

  /** The latest window's mean shift, in baseline standard deviations (0 before a baseline). */
  double shiftSigma() {
    return baselineSet ? Math.abs(sum / count - baselineMean) / baselineStd : 0;
  }
}
