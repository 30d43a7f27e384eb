package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The model to roll out, to which group, how fast, and judged by what. */
public class ModelRolloutSpec {

  /** What happens when a gate fails or the rollout aborts. */
  public enum RollbackPolicy {
    @JsonProperty("automatic")
    AUTOMATIC,
    @JsonProperty("pause")
    PAUSE
  }

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription(
      "Name of the DeviceGroup, in this namespace, the model is rolled out to.")
  public String deviceGroup;

  @Required
  @JsonPropertyDescription("The quantized model and where to get it.")
  public ModelSpec model;

  @JsonPropertyDescription(
      "Steps, concurrency, deadlines and retries. Without it the model goes to 100% in one"
          + " step.")
  public StrategySpec strategy;

  @JsonPropertyDescription(
      "System-level checks comparing the updated cohort with the devices not yet updated.")
  public GatesSpec gates;

  @JsonPropertyDescription("When the rollout gives up.")
  public AbortSpec abort;

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
