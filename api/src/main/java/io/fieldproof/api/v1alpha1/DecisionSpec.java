package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Turns the model's score into an alarm: a threshold and a debounce. */
public class DecisionSpec {

  @Min(0)
  @Max(255)
  @Default("0")
  @JsonPropertyDescription("Index of the model output that is the score.")
  public Integer output;

  @Required
  @JsonPropertyDescription("A dequantized score above this value is an alarm candidate.")
  public Double threshold;

  @Min(1)
  @Max(1000)
  @Default("1")
  @JsonPropertyDescription(
      "Debounce: this many consecutive alarm candidates before the device raises an alarm.")
  public Integer minConsecutive;
}
