package io.fieldproof.model.footprint;

/**
 * How often a device works: one sampling period (one reading per input, one inference, one
 * TELEMETRY frame) every {@code 1 / inferencesPerSecond} seconds, and one health report (a STATS
 * exchange with its gateway) every {@code 1 / reportsPerSecond} seconds.
 *
 * @param inferencesPerSecond sampling periods per second: one inference each
 * @param reportsPerSecond health reports per second
 * @param inputs readings per TELEMETRY frame
 */
public record DutyCycle(double inferencesPerSecond, double reportsPerSecond, int inputs) {

  public DutyCycle {
    if (!(inferencesPerSecond > 0) || !(reportsPerSecond >= 0) || inputs < 0) {
      throw new IllegalArgumentException(
          "rates must be positive and inputs not negative: "
              + inferencesPerSecond
              + "/s, "
              + reportsPerSecond
              + "/s, "
              + inputs);
    }
  }
}
