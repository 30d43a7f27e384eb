package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An input's statistics in the training data, in raw units: what drift is measured against. */
public class DriftReference {

  @Required
  @JsonPropertyDescription("Mean of the input in the training data.")
  public Double mean;

  @Required
  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription("Standard deviation of the input in the training data; greater than 0.")
  public Double std;
}
