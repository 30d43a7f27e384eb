package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Local fallback behaviour: what the device does without, or in spite of, the model. */
@ValidationRule(
    value = "self.mode != 'rules' || (has(self.rules) && size(self.rules) > 0)",
    message = "fallback.mode 'rules' needs at least one rule",
    fieldPath = ".rules")
@ValidationRule(
    value = "!has(self.rules) || self.rules.all(r, self.rules.exists_one(q, q.name == r.name))",
    message = "fallback rule names must be unique",
    fieldPath = ".rules")
public class FallbackSpec {

  /** What the device does when the model cannot decide. */
  public enum Mode {
    @JsonProperty("rules")
    RULES,
    @JsonProperty("hold-last")
    HOLD_LAST,
    @JsonProperty("off")
    OFF
  }

  @Default("hold-last")
  @JsonPropertyDescription(
      "rules: evaluate the rules below; hold-last: keep the last valid decision; off: no"
          + " fallback.")
  public Mode mode;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Structured rules, evaluated on the device in order. Where a rule fires it wins over the"
          + " model: rules guard safety.")
  public List<FallbackRule> rules;
}
