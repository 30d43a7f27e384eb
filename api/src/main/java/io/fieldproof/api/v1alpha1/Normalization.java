package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Either a z-score (mean and std) or a min-max normalization; never both. */
@ValidationRule(
    value =
        "(has(self.mean) && has(self.std) && !has(self.min) && !has(self.max)) || (has(self.min)"
            + " && has(self.max) && !has(self.mean) && !has(self.std))",
    message = "normalize needs either mean and std, or min and max")
@ValidationRule(
    value = "!has(self.min) || !has(self.max) || self.min < self.max",
    message = "normalize.min must be below normalize.max")
public class Normalization {

  @JsonPropertyDescription("Mean of the training data, for z-score normalization.")
  public Double mean;

  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription("Standard deviation of the training data; greater than 0.")
  public Double std;

  @JsonPropertyDescription("Value mapped to 0, for min-max normalization.")
  public Double min;

  @JsonPropertyDescription("Value mapped to 1, for min-max normalization.")
  public Double max;
}
