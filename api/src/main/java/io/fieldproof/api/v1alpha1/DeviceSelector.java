package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** A label selector over device labels, with the semantics of a Kubernetes LabelSelector. */
@ValidationRule(
    value =
        "(has(self.matchLabels) && size(self.matchLabels) > 0) || (has(self.matchExpressions) &&"
            + " size(self.matchExpressions) > 0)",
    message = "selector must set matchLabels or matchExpressions")
public class DeviceSelector {

  @Size(max = 32)
  @JsonPropertyDescription("Labels a device must carry, all of them, with these values.")
  public Map<String, String> matchLabels;

  @Size(max = 16)
  @JsonPropertyDescription("Requirements a device's labels must all meet.")
  public List<SelectorRequirement> matchExpressions;
}
