package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Runtime config a rollout puts on its devices together with its model: each field given replaces
 * the group's field of the same name, whole; a field left out keeps the group's.
 */
@ValidationRule(
    value = "has(self.inputs) || has(self.decision) || has(self.fallback) || has(self.drift)",
    message = "spec.config: set at least one of inputs, decision, fallback, drift")
@ValidationRule(
    value = "!has(self.inputs) || self.inputs.all(i, self.inputs.exists_one(j, j.name == i.name))",
    message = "spec.config.inputs: input names must be unique",
    fieldPath = ".inputs",
    reason = "FieldValueDuplicate")
public class RuntimeConfigOverride {

  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "Replaces the group's spec.inputs (validity, normalization): feature i of the model input"
          + " is inputs[i]. As many inputs as the group declares.")
  public List<InputSpec> inputs;

  @JsonPropertyDescription(
      "Replaces the group's spec.decision (threshold, debounce, output) on the rollout's devices.")
  public DecisionSpec decision;

  @JsonPropertyDescription(
      "Replaces the group's spec.fallback (mode and rules); its rules name inputs of the"
          + " effective inputs (spec.config.inputs, else the group's).")
  public FallbackSpec fallback;

  @JsonPropertyDescription("Replaces the group's spec.drift (window, mean-shift limit).")
  public DriftSpec drift;
}
