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
    int reportIntervalSeconds) {

  public RuntimeConfig {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** One input: validity checks, then normalization ("zscore": (x-a)/b, "minmax": (x-a)/(b-a)). */
  public record Input(
      String name,
      String unit,
      Double min,
      Double max,
      Double maxStep,
      Integer stuckSamples,
      Normalize normalize) {}

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

  /** Drift detection: window length and the largest mean shift in standard deviations. */
  public record Drift(long windowSeconds, double maxMeanShiftSigma) {}
}
