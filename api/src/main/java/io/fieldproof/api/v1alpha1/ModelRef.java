package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Identifies one model build. */
public class ModelRef {

  @JsonPropertyDescription("Model name.")
  public String name;

  @JsonPropertyDescription("Model version.")
  public String version;

  @JsonPropertyDescription("sha256 of the .tflite file.")
  public String sha256;
}
