package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.CaptureSpec;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.api.v1alpha1.RuleCondition;
import io.fieldproof.protocol.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flattens a DeviceGroup spec into the runtime config every member applies. An input's drift
 * reference and drift's minSamples go only when the spec sets them: devices derive the reference
 * from the normalization themselves, and a config without the two is signed as before.
 */
public final class RuntimeConfigMapper {

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private RuntimeConfigMapper() {}

  public static RuntimeConfig from(DeviceGroupSpec spec) {
    List<RuntimeConfig.Input> inputs =
        spec.inputs.stream().map(RuntimeConfigMapper::input).toList();
    RuntimeConfig.Decision decision =
        new RuntimeConfig.Decision(
            spec.decision.output == null ? 0 : spec.decision.output,
            spec.decision.threshold,
            spec.decision.minConsecutive == null ? 1 : spec.decision.minConsecutive);
    RuntimeConfig.Fallback fallback =
        spec.fallback == null
            ? new RuntimeConfig.Fallback("hold-last", List.of())
            : new RuntimeConfig.Fallback(
                spec.fallback.mode == null ? "hold-last" : wire(spec.fallback.mode.name()),
                spec.fallback.rules == null
                    ? List.of()
                    : spec.fallback.rules.stream().map(RuntimeConfigMapper::rule).toList());
    RuntimeConfig.Drift drift =
        new RuntimeConfig.Drift(
            seconds(spec.drift == null || spec.drift.window == null ? "1h" : spec.drift.window),
            spec.drift == null || spec.drift.maxMeanShiftSigma == null
                ? 3.0
                : spec.drift.maxMeanShiftSigma,
            spec.drift == null ? null : spec.drift.minSamples);
    int report =
        spec.telemetry == null || spec.telemetry.reportIntervalSeconds == null
            ? 30
            : spec.telemetry.reportIntervalSeconds;
    return new RuntimeConfig(inputs, decision, fallback, drift, report, capture(spec.capture));
  }

  /** The capture the devices run; null (nothing sent, nothing signed) unless enabled. */
  static RuntimeConfig.Capture capture(CaptureSpec capture) {
    if (capture == null || !Boolean.TRUE.equals(capture.enabled)) {
      return null;
    }
    List<String> triggers =
        capture.triggers == null
            ? RuntimeConfig.Capture.TRIGGERS
            : capture.triggers.stream().map(RuntimeConfigMapper::trigger).toList();
    return new RuntimeConfig.Capture(
        capture.windowBefore == null ? 30 : capture.windowBefore,
        capture.windowAfter == null ? 30 : capture.windowAfter,
        triggers,
        capture.sampleOneIn == null ? 0 : capture.sampleOneIn,
        capture.bytesPerDevicePerDay == null ? 1L << 20 : capture.bytesPerDevicePerDay,
        capture.bytesPerGroupPerDay == null ? 64L << 20 : capture.bytesPerGroupPerDay);
  }

  private static String trigger(CaptureSpec.Trigger trigger) {
    return switch (trigger) {
      case ALARM -> "alarm";
      case FALLBACK -> "fallback";
      case SENSOR_FAULT -> "sensorFault";
      case DRIFT -> "drift";
    };
  }

  private static RuntimeConfig.Input input(InputSpec in) {
    RuntimeConfig.Normalize normalize = null;
    if (in.normalize != null && in.normalize.mean != null) {
      normalize = new RuntimeConfig.Normalize("zscore", in.normalize.mean, in.normalize.std);
    } else if (in.normalize != null && in.normalize.min != null) {
      normalize = new RuntimeConfig.Normalize("minmax", in.normalize.min, in.normalize.max);
    }
    return new RuntimeConfig.Input(
        in.name,
        in.unit,
        in.validRange == null ? null : in.validRange.min,
        in.validRange == null ? null : in.validRange.max,
        in.maxStep,
        in.stuckSamples,
        normalize,
        in.driftReference == null
            ? null
            : new RuntimeConfig.Reference(in.driftReference.mean, in.driftReference.std));
  }

  private static RuntimeConfig.Rule rule(FallbackRule rule) {
    return new RuntimeConfig.Rule(
        rule.name,
        wire(rule.when.name()),
        rule.all.stream().map(RuntimeConfigMapper::condition).toList(),
        wire(rule.action.name()));
  }

  private static RuntimeConfig.Condition condition(RuleCondition c) {
    String op =
        switch (c.op) {
          case GT -> ">";
          case GE -> ">=";
          case LT -> "<";
          case LE -> "<=";
          case EQ -> "==";
          case NE -> "!=";
        };
    return new RuntimeConfig.Condition(c.input, op, c.value);
  }

  /** MODEL_UNAVAILABLE becomes model-unavailable, as the API and the wire spell it. */
  private static String wire(String constant) {
    return constant.toLowerCase().replace('_', '-');
  }

  static long seconds(String duration) {
    Matcher m = DURATION_PART.matcher(duration);
    double total = 0;
    while (m.find()) {
      double amount = Double.parseDouble(m.group(1));
      total +=
          switch (m.group(2)) {
            case "ms" -> amount / 1000;
            case "s" -> amount;
            case "m" -> amount * 60;
            default -> amount * 3600;
          };
    }
    return Math.max(1, Math.round(total));
  }

  static Duration offlineAfter(DeviceGroupSpec spec) {
    return Duration.ofSeconds(
        spec.connectivity == null || spec.connectivity.offlineAfterSeconds == null
            ? 90
            : spec.connectivity.offlineAfterSeconds);
  }
}
