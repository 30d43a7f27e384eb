package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device a rollback could not return to a previous model: it keeps the rollout's model. */
public class UnreturnedDevice {

  @JsonPropertyDescription("Device id.")
  public String device;

  @JsonPropertyDescription(
      "Why it could not return: NoPreviousModel (it ran none, or the slot it would return to holds"
          + " none), PreviousNotBootable (the record of the model there is not VALID: INVALID or"
          + " ABORTED after a failed trial, NEW never booted), PreviousOnTrial (the only other model"
          + " was on trial, never confirmed) or NoSlotReport (its agent never reported its slots).")
  public String reason;

  @JsonPropertyDescription("Human-readable detail.")
  public String message;
}
