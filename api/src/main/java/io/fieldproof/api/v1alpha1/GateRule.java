package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A system-level metric and one limit on it. */
@ValidationRule(
    value = "has(self.max) != has(self.maxRatioToBaseline)",
    message = "a gate rule needs exactly one limit: max or maxRatioToBaseline")
public class GateRule {

  /** The system-level signals a gate can judge. */
  public enum Metric {
    @JsonProperty("alarmRate")
    ALARM_RATE,
    @JsonProperty("fallbackRate")
    FALLBACK_RATE,
    @JsonProperty("sensorFaultRate")
    SENSOR_FAULT_RATE,
    @JsonProperty("inferenceLatencyP95Ms")
    INFERENCE_LATENCY_P95_MS,
    @JsonProperty("selfTestFailures")
    SELF_TEST_FAILURES,
    @JsonProperty("downtimeSeconds")
    DOWNTIME_SECONDS,
    @JsonProperty("alarmSampleRate")
    ALARM_SAMPLE_RATE,
    @JsonProperty("safeStateRate")
    SAFE_STATE_RATE,
    @JsonProperty("suppressRate")
    SUPPRESS_RATE,
    @JsonProperty("holdLastRate")
    HOLD_LAST_RATE,
    @JsonProperty("reboots")
    REBOOTS,
    @JsonProperty("falseAlarmRate")
    FALSE_ALARM_RATE
  }

  @Required
  @JsonPropertyDescription(
      "Per inference: alarmRate (alarm episodes: alarms that start after a step without one),"
          + " alarmSampleRate (steps spent in alarm), fallbackRate (fallback activations),"
          + " safeStateRate, suppressRate and holdLastRate (fallback activations with that"
          + " action), sensorFaultRate (faulty readings). Also inferenceLatencyP95Ms,"
          + " selfTestFailures (count), downtimeSeconds (per device, reboots included), reboots"
          + " (the most times one updated device rebooted while running the model: a reboots"
          + " rule fails on a crash loop with reason CrashLoop, however few devices were"
          + " updated). falseAlarmRate: per labeled alarm window, the share of the windows"
          + " captured under the rollout's model that CaptureLabels call falseAlarm, against the"
          + " windows captured under the models the other members run; it passes once"
          + " gates.minLabeledWindows are labeled.")
  public Metric metric;

  @Min(0)
  @JsonPropertyDescription("Absolute limit on the updated cohort's value.")
  public Double max;

  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription("Limit on the updated cohort's value divided by the baseline's.")
  public Double maxRatioToBaseline;
}
