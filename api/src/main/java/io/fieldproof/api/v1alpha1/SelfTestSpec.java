package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Golden input/output vectors run on the device on the freshly written slot. */
public class SelfTestSpec {

  @Required
  @JsonPropertyDescription("ConfigMap key holding the golden vectors as JSON.")
  public ConfigMapKey configMap;

  @Min(0)
  @Max(255)
  @Default("0")
  @JsonPropertyDescription("Largest allowed |device - expected| per int8 output; 0 is bit-exact.")
  public Integer tolerance;
}
