package io.fieldproof.protocol;

import java.util.List;

/**
 * The runtime configuration a device applies: how each input is validated and normalized, how the
 * score becomes an alarm, the fallback rules, drift detection and telemetry. It is the DeviceGroup
 * spec flattened into what any MCU runtime can evaluate.
 */
public record RuntimeConfig(
    List<Input> inputs,
    Decision decision,
    Fallback fallback,
    Drift drift,
    int reportIntervalSeconds,
    Capture capture) {

  public RuntimeConfig {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A config without capture (the group does not capture, or predates it). */
  public RuntimeConfig(
      List<Input> inputs,
      Decision decision,
      Fallback fallback,
      Drift drift,
      int reportIntervalSeconds) {
    this(inputs, decision, fallback, drift, reportIntervalSeconds, null);
  }

  /**
   * One input: validity checks, then normalization ("zscore": (x-a)/b, "minmax": (x-a)/(b-a)), and
   * the training reference drift is measured against (optional: without it the device derives one
   * from the normalization, see {@link #driftReference()}).
   */
  public record Input(
      String name,
      String unit,
      Double min,
      Double max,
      Double maxStep,
      Integer stuckSamples,
      Normalize normalize,
      Reference reference) {

    /** An input without an explicit drift reference. */
    public Input(
        String name,
        String unit,
        Double min,
        Double max,
        Double maxStep,
        Integer stuckSamples,
        Normalize normalize) {
      this(name, unit, min, max, maxStep, stuckSamples, normalize, null);
    }

    /**
     * The training statistics drift is measured against, in raw units: the explicit reference, else
     * the z-score's mean and std, else the min-max range's midpoint and the standard deviation of a
     * uniform spread over it ((max - min) / sqrt(12)); null when there is neither (the input is not
     * checked for drift).
     */
    public Reference driftReference() {
      if (reference != null) {
        return reference;
      }
      if (normalize == null) {
        return null;
      }
      return "minmax".equals(normalize.kind())
          ? new Reference(
              (normalize.a() + normalize.b()) / 2, (normalize.b() - normalize.a()) / Math.sqrt(12))
          : new Reference(normalize.a(), normalize.b());
    }
  }

  /** Mean and standard deviation of an input in the training data, in raw units. */
  public record Reference(double mean, double std) {}

  /** Normalization parameters: kind "zscore" with a=mean, b=std, or "minmax" with a=min, b=max. */
  public record Normalize(String kind, double a, double b) {}

  /** Threshold and debounce on one model output. */
  public record Decision(int output, double threshold, int minConsecutive) {}

  /** Fallback mode ("rules", "hold-last", "off") and its rules. */
  public record Fallback(String mode, List<Rule> rules) {
    public Fallback {
      rules = rules == null ? List.of() : List.copyOf(rules);
    }
  }

  /**
   * A rule: when it applies ("always", "model-unavailable", "inputs-invalid"), conditions, action.
   */
  public record Rule(String name, String when, List<Condition> all, String action) {
    public Rule {
      all = all == null ? List.of() : List.copyOf(all);
    }
  }

  /** A comparison of a raw input with a constant; op is one of >, >=, <, <=, ==, !=. */
  public record Condition(String input, String op, double value) {}

  /**
   * Drift detection: the averaging window of the running mean, the largest shift of that mean from
   * the reference in reference standard deviations, and how many valid readings in a row must be
   * past it before the input counts as drifting (null: {@link #DEFAULT_MIN_SAMPLES}).
   */
  public record Drift(long windowSeconds, double maxMeanShiftSigma, Integer minSamples) {

    /** Readings in a row past the limit when minSamples is not set. */
    public static final int DEFAULT_MIN_SAMPLES = 10;

    public Drift(long windowSeconds, double maxMeanShiftSigma) {
      this(windowSeconds, maxMeanShiftSigma, null);
    }
  }

  /**
   * Capture of raw field data (docs/field-data.md): the device keeps a ring of {@code before + 1 +
   * after} samples and freezes a window around the first of {@code triggers} that fires ("alarm",
   * "fallback", "sensorFault", "drift") or, on average once every {@code sampleOneIn} readings, at
   * random ("sample"; 0: never). The budgets are for the agent (the bytes of windows a day it hands
   * on for upload); devices ignore them.
   */
  public record Capture(
      int before,
      int after,
      List<String> triggers,
      long sampleOneIn,
      long bytesPerDevicePerDay,
      long bytesPerGroupPerDay) {

    /** The triggers a device knows, in the order it checks them. */
    public static final List<String> TRIGGERS =
        List.of("alarm", "fallback", "sensorFault", "drift");

    public Capture {
      triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }
  }
}
