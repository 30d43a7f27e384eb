package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the model file is read from: exactly one source. */
@ValidationRule(
    value = "[has(self.configMap), has(self.url)].filter(x, x).size() == 1",
    message = "model.source must set exactly one of configMap or url")
public class ModelSource {

  @JsonPropertyDescription("A key of a ConfigMap's binaryData in this namespace.")
  public ConfigMapKey configMap;

  @JsonPropertyDescription("An HTTP(S) URL, fetched by the operator; needs model.sha256.")
  public UrlSource url;
}
