package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A model served over HTTP(S). */
public class UrlSource {

  @Required
  @Pattern("^https?://[^\\s]+$")
  @Size(max = 2048)
  @JsonPropertyDescription("http:// or https:// URL of the .tflite file.")
  public String url;
}
