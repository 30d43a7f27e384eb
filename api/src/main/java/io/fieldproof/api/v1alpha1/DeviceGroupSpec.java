package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired membership and runtime behaviour of a device group. */
@ValidationRule(
    value = "self.inputs.all(i, self.inputs.exists_one(j, j.name == i.name))",
    message = "spec.inputs: input names must be unique",
    fieldPath = ".inputs",
    reason = "FieldValueDuplicate")
@ValidationRule(
    value =
        "!has(self.fallback) || !has(self.fallback.rules) || self.fallback.rules.all(r,"
            + " r.all.all(c, self.inputs.exists(i, i.name == c.input)))",
    message = "spec.fallback.rules: every condition must name an input declared in spec.inputs",
    fieldPath = ".fallback.rules")
@ValidationRule(
    value =
        "!has(self.telemetry) || !has(self.telemetry.reportIntervalSeconds) ||"
            + " (has(self.connectivity) && has(self.connectivity.offlineAfterSeconds)"
            + " ? self.connectivity.offlineAfterSeconds : 90)"
            + " >= 2 * self.telemetry.reportIntervalSeconds",
    message =
        "spec.connectivity.offlineAfterSeconds must be at least twice"
            + " spec.telemetry.reportIntervalSeconds (default 90): otherwise a device that"
            + " reports on time reads as offline between two reports",
    fieldPath = ".connectivity.offlineAfterSeconds")
@ValidationRule(
    value =
        "self.configUpdates == 'immediate' || (self.inputs == oldSelf.inputs"
            + " && self.decision == oldSelf.decision"
            + " && has(self.fallback) == has(oldSelf.fallback)"
            + " && (!has(self.fallback) || self.fallback == oldSelf.fallback)"
            + " && has(self.drift) == has(oldSelf.drift)"
            + " && (!has(self.drift) || self.drift == oldSelf.drift))",
    message =
        "spec.inputs, spec.decision, spec.fallback and spec.drift cannot be edited while"
            + " spec.configUpdates is rollout: roll the change out with a ModelRollout whose"
            + " spec.config carries it (canary steps, gates, rollback), or set spec.configUpdates:"
            + " immediate to send it to every device at once")
public class DeviceGroupSpec {

  /** How an edit of the group's runtime fields reaches its devices. */
  public enum ConfigUpdates {
    @JsonProperty("rollout")
    ROLLOUT,
    @JsonProperty("immediate")
    IMMEDIATE
  }

  @Required
  @JsonPropertyDescription(
      "Selects member devices by their labels (the labels a gateway declares for each device"
          + " plus fieldproof.io/chip and fieldproof.io/gateway), within this namespace. Must"
          + " not be empty: an empty selector would claim every device in the namespace.")
  public DeviceSelector selector;

  @Required
  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "The model's input features, in order: feature i of the model input is inputs[i]. Each"
          + " reading is validated and normalized on the device before inference.")
  public List<InputSpec> inputs;

  @Required
  @JsonPropertyDescription("How a model output becomes an alarm.")
  public DecisionSpec decision;

  @JsonPropertyDescription(
      "Rule-based control run on the device: it guards safety whatever the model says, and"
          + " takes over when the model is unavailable or the inputs are invalid.")
  public FallbackSpec fallback;

  @JsonPropertyDescription("Detection of slow drift of the normalized inputs.")
  public DriftSpec drift;

  @Default("rollout")
  @JsonPropertyDescription(
      "rollout: inputs, decision, fallback and drift cannot be edited here once the group"
          + " exists; a change goes out as a ModelRollout's spec.config, canary first, judged by"
          + " gates and rolled back automatically. immediate: an edit reaches every member on the"
          + " next reconcile, with no canary and no rollback.")
  public ConfigUpdates configUpdates;

  @JsonPropertyDescription("How often devices report health counters.")
  public TelemetrySpec telemetry;

  @JsonPropertyDescription("When a silent device counts as offline.")
  public ConnectivitySpec connectivity;

  @JsonPropertyDescription("Limits past which the group is Degraded.")
  public HealthSpec health;

  @JsonPropertyDescription(
      "How often members infer and the average power each may draw (docs/device-runtime.md#power).")
  public PowerSpec power;
}
