package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many members run one distinct model. */
public class ModelShare {

  @JsonPropertyDescription("Model version.")
  public String version;

  @JsonPropertyDescription("sha256 of the .tflite file.")
  public String sha256;

  @JsonPropertyDescription("Members running it.")
  public int devices;
}
