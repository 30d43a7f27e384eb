package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The model to roll out, to which group, how fast, and judged by what. */
@ValidationRule(
    value = "has(self.config) == has(oldSelf.config)",
    message = "spec.config " + ModelRolloutSpec.IMMUTABLE_TARGET)
public class ModelRolloutSpec {

  /**
   * Why an edit of what a rollout puts on devices is refused: an edit would skip the steps and
   * gates already passed (docs/rollouts.md "A rollout's target does not change").
   */
  static final String IMMUTABLE_TARGET =
      "cannot change once the rollout exists: create a new ModelRollout (steps and gates judge"
          + " one model on one group)";

  /** What happens when a gate fails or the rollout aborts. */
  public enum RollbackPolicy {
    @JsonProperty("automatic")
    AUTOMATIC,
    @JsonProperty("pause")
    PAUSE
  }

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @ValidationRule(value = "self == oldSelf", message = IMMUTABLE_TARGET)
  @JsonPropertyDescription(
      "Name of the DeviceGroup, in this namespace, the model is rolled out to. Cannot change:"
          + " another group is another rollout.")
  public String deviceGroup;

  @Required
  @ValidationRule(value = "self == oldSelf", message = IMMUTABLE_TARGET)
  @JsonPropertyDescription(
      "The quantized model and where to get it. Cannot change once the rollout exists: a rollout"
          + " judges one model through its steps and gates, so another model (or other self-test"
          + " vectors) is a new ModelRollout.")
  public ModelSpec model;

  @ValidationRule(value = "self == oldSelf", message = IMMUTABLE_TARGET)
  @JsonPropertyDescription(
      "Runtime config rolled out together with the model, as one unit: each field given"
          + " (inputs, decision, fallback, drift) replaces the group's field on the devices of the"
          + " rollout's cohort only, through the same steps, gates and rollback. A config change"
          + " for the model the group already runs names that model: nothing is flashed. Once"
          + " the rollout succeeded the config stays in force for the whole group (status"
          + " configRollout of the DeviceGroup) until a newer rollout with a config succeeds."
          + " Cannot change once the rollout exists.")
  public RuntimeConfigOverride config;

  @JsonPropertyDescription(
      "Steps, concurrency, deadlines and retries. Without it the model goes to 100% in one"
          + " step.")
  public StrategySpec strategy;

  @JsonPropertyDescription(
      "System-level checks comparing the updated cohort with the devices not yet updated.")
  public GatesSpec gates;

  @JsonPropertyDescription("When the rollout gives up.")
  public AbortSpec abort;

  @Size(max = 16)
  @JsonPropertyDescription(
      "When the rollout may start writing models to devices. Outside every window no new write"
          + " starts (a write in progress finishes), devices waiting count as"
          + " status.devices.waitingForWindow, never as failed, and no deadline runs for them."
          + " Steps, soaks and gates go on. Absent or empty: always.")
  public List<MaintenanceWindow> maintenanceWindows;

  @JsonPropertyDescription(
      "What a device must report before a write to it starts (battery, link quality); a device"
          + " that does not meet them waits (status.devices.waitingForCondition), never fails.")
  public DeviceConditions deviceConditions;

  @Default("automatic")
  @JsonPropertyDescription(
      "automatic: on a failed gate or an abort, devices return to their previous slot; pause:"
          + " the rollout pauses for a human to decide.")
  public RollbackPolicy rollback;

  @Default("false")
  @JsonPropertyDescription(
      "Pauses the rollout where it is; setting it back to false resumes it (for GitOps).")
  public Boolean paused;
}
