package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One step of a rollout: exactly one action. */
@ValidationRule(
    value = "[has(self.setPercent), has(self.pause)].filter(x, x).size() == 1",
    message = "each step must have exactly one action: setPercent or pause")
public class Step {

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Update members until this percent of targeted devices run the model.")
  public Integer setPercent;

  @JsonPropertyDescription(
      "Pause: for a duration (a soak, gates evaluated meanwhile) or, without one, until"
          + " promoted or spec.paused is toggled.")
  public PauseStep pause;
}
