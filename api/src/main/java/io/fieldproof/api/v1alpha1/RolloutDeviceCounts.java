package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Targeted devices of a rollout counted by state. */
public class RolloutDeviceCounts {

  @JsonPropertyDescription("Members of the group the rollout applies to.")
  public int targeted;

  @JsonPropertyDescription("Devices running and having confirmed the new model.")
  public int updated;

  @JsonPropertyDescription("Devices downloading, flashing, verifying or on trial.")
  public int inProgress;

  @JsonPropertyDescription("Devices not yet selected by a step.")
  public int pending;

  @JsonPropertyDescription("Devices whose update failed with retries spent.")
  public int failed;

  @JsonPropertyDescription("Targeted devices that are offline.")
  public int offline;

  @JsonPropertyDescription("Devices the model does not fit; never flashed.")
  public int incompatible;
}
