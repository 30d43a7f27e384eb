package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device a rollback could not return to a previous model: it keeps the rollout's model. */
public class UnreturnedDevice {

  @JsonPropertyDescription("Device id.")
  public String device;

  @JsonPropertyDescription(
      "Why it is not back. It cannot return: NoPreviousModel (it ran none, or the slot it would"
          + " return to holds none), PreviousNotBootable (the record of the model there is not"
          + " VALID: INVALID or ABORTED after a failed trial, NEW never booted), PreviousOnTrial"
          + " (the only other model was on trial, never confirmed) or NoSlotReport (its agent never"
          + " reported its slots). It is on its way back: Returning (switching back), ReturnRetrying"
          + " (an attempt failed; the next follows after a backoff), ReturnAwaitsDevice (offline;"
          + " it switches back, or is tried again, once it answers) or ReturnFailed (every attempt"
          + " failed; it keeps the rollout's model).")
  public String reason;

  @JsonPropertyDescription("Human-readable detail.")
  public String message;
}
