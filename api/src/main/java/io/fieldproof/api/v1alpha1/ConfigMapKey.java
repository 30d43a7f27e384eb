package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the rollout's namespace. */
public class ConfigMapKey {

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("ConfigMap name.")
  public String name;

  @Required
  @Pattern("^[-._a-zA-Z0-9]{1,253}$")
  @JsonPropertyDescription("Key within the ConfigMap (binaryData, or data for JSON).")
  public String key;
}
