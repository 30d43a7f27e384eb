package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A closed range of valid readings. */
@ValidationRule(value = "self.min < self.max", message = "validRange.min must be below max")
public class ValueRange {

  @Required
  @JsonPropertyDescription("Smallest valid reading.")
  public Double min;

  @Required
  @JsonPropertyDescription("Largest valid reading.")
  public Double max;
}
