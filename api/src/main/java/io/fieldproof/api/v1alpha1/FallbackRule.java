package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A rule any MCU runtime can evaluate: when it applies, its conditions, and its action. */
public class FallbackRule {

  /** When a rule is evaluated. */
  public enum When {
    @JsonProperty("always")
    ALWAYS,
    @JsonProperty("model-unavailable")
    MODEL_UNAVAILABLE,
    @JsonProperty("inputs-invalid")
    INPUTS_INVALID
  }

  /** What a firing rule does. */
  public enum Action {
    @JsonProperty("alarm")
    ALARM,
    @JsonProperty("suppress")
    SUPPRESS,
    @JsonProperty("safe-state")
    SAFE_STATE
  }

  @Required
  @Pattern(Patterns.IDENTIFIER)
  @Size(max = 63)
  @JsonPropertyDescription("Name of the rule, reported when it fires.")
  public String name;

  @Required
  @JsonPropertyDescription(
      "always: on every window; model-unavailable: only when no valid model runs;"
          + " inputs-invalid: only when an input failed validation.")
  public When when;

  @Required
  @Size(min = 1, max = 8)
  @JsonPropertyDescription("Conditions that must all hold for the rule to fire.")
  public List<RuleCondition> all;

  @Required
  @JsonPropertyDescription(
      "alarm: raise an alarm; suppress: hold alarms back; safe-state: drive the device's"
          + " outputs to their safe state.")
  public Action action;
}
