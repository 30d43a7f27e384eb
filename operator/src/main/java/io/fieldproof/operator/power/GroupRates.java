package io.fieldproof.operator.power;

import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.model.footprint.DutyCycle;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How often a group's members work, from its spec: one inference per {@code
 * spec.power.samplingPeriodMilliseconds} (default 1000, the firmware's and the emulators'), one
 * health report per {@code spec.telemetry.reportIntervalSeconds} (default 30), one reading per
 * input.
 */
public record GroupRates(int samplingPeriodMillis, int reportIntervalSeconds, int inputs) {

  static final int DEFAULT_SAMPLING_PERIOD_MILLIS = 1000;
  static final int DEFAULT_REPORT_INTERVAL_SECONDS = 30;

  public static GroupRates of(DeviceGroupSpec spec) {
    int period =
        spec.power == null || spec.power.samplingPeriodMilliseconds == null
            ? DEFAULT_SAMPLING_PERIOD_MILLIS
            : spec.power.samplingPeriodMilliseconds;
    int report =
        spec.telemetry == null || spec.telemetry.reportIntervalSeconds == null
            ? DEFAULT_REPORT_INTERVAL_SECONDS
            : spec.telemetry.reportIntervalSeconds;
    return new GroupRates(period, report, spec.inputs == null ? 0 : spec.inputs.size());
  }

  /** The group's budget per member in milliwatts, or null when it sets none. */
  public static Double budgetMilliwatts(DeviceGroupSpec spec) {
    return spec.power == null ? null : spec.power.budgetMilliwatts;
  }

  public double inferencesPerSecond() {
    return 1000.0 / samplingPeriodMillis;
  }

  public DutyCycle duty() {
    return new DutyCycle(inferencesPerSecond(), 1.0 / reportIntervalSeconds, inputs);
  }

  /** {@code value} to three significant digits, without trailing zeros: 41.3, 0.33, 224. */
  static String figure(double value) {
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
