package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How far one input of a group's members has moved from its training reference. */
public class InputDrift {

  @JsonPropertyDescription("The input's name.")
  public String input;

  @JsonPropertyDescription("Members that reported this input's drift magnitude.")
  public int devices;

  @JsonPropertyDescription("Members on which this input is drifting now.")
  public int drifting;

  @JsonPropertyDescription(
      "The largest shift of a member's running mean from the reference mean, in reference"
          + " standard deviations, to 0.1.")
  public double maxSigma;

  @JsonPropertyDescription("The 95th percentile of that shift over the members, to 0.1.")
  public double p95Sigma;
}
