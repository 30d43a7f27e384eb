package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One requirement of a selector: a label key, an operator and values. */
@ValidationRule(
    value =
        "(self.operator == 'In' || self.operator == 'NotIn') ? (has(self.values) &&"
            + " size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)",
    message = "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist")
public class SelectorRequirement {

  /** The operators of a Kubernetes label selector requirement. */
  public enum Operator {
    @JsonProperty("In")
    IN,
    @JsonProperty("NotIn")
    NOT_IN,
    @JsonProperty("Exists")
    EXISTS,
    @JsonProperty("DoesNotExist")
    DOES_NOT_EXIST
  }

  @Required
  @Pattern(Patterns.LABEL_KEY)
  @JsonPropertyDescription("The label key the requirement applies to.")
  public String key;

  @Required
  @JsonPropertyDescription("How the key relates to the values: In, NotIn, Exists, DoesNotExist.")
  public Operator operator;

  @Size(max = 64)
  @JsonPropertyDescription("Label values; non-empty for In and NotIn, empty otherwise.")
  public List<String> values;
}
