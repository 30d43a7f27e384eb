package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device of the step's cohort that a rollout does not write to yet, and why. */
public class WaitingDevice {

  @JsonPropertyDescription("Device id.")
  public String device;

  @JsonPropertyDescription(
      "What it waits for: MaintenanceWindow (no window of spec.maintenanceWindows is open),"
          + " LowBattery or LowLinkQuality (spec.deviceConditions).")
  public String reason;

  @JsonPropertyDescription("Human-readable detail: the level reported and the level required.")
  public String message;
}
