package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A comparison of one raw (not normalized) input with a constant. */
public class RuleCondition {

  /** Comparison operators a device runtime evaluates. */
  public enum Op {
    @JsonProperty(">")
    GT,
    @JsonProperty(">=")
    GE,
    @JsonProperty("<")
    LT,
    @JsonProperty("<=")
    LE,
    @JsonProperty("==")
    EQ,
    @JsonProperty("!=")
    NE
  }

  @Required
  @Pattern(Patterns.IDENTIFIER)
  @Size(max = 63)
  @JsonPropertyDescription("Name of an input declared in spec.inputs.")
  public String input;

  @Required
  @JsonPropertyDescription("Comparison: >, >=, <, <=, ==, !=.")
  public Op op;

  @Required
  @JsonPropertyDescription("The constant the raw reading is compared with, in the input's unit.")
  public Double value;
}
