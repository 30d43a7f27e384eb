package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A quantized int8 TFLite model: its identity, its bytes, and its self-test. */
@ValidationRule(
    value = "!has(self.source.url) || has(self.sha256)",
    message = "model.sha256 is required when the source is a url",
    fieldPath = ".sha256")
public class ModelSpec {

  @Required
  @Pattern(Patterns.IDENTIFIER)
  @JsonPropertyDescription("Model name, shown in status and on devices.")
  public String name;

  @Required
  @Pattern(Patterns.SEMVER)
  @JsonPropertyDescription("Semantic version of this model build: 1.4.0.")
  public String version;

  @Required
  @JsonPropertyDescription("Where the .tflite bytes come from: exactly one of configMap or url.")
  public ModelSource source;

  @Pattern(Patterns.SHA256)
  @JsonPropertyDescription(
      "Expected sha256 of the .tflite file, lower-case hex; required for url, checked for"
          + " configMap too when set.")
  public String sha256;

  @JsonPropertyDescription("Golden vectors each device must reproduce before activation.")
  public SelfTestSpec selfTest;
}
