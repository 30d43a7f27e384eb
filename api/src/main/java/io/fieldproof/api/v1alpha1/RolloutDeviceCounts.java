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

  @JsonPropertyDescription(
      "Targeted devices that could not return to a previous model if the rollout rolled back now:"
          + " they run no confirmed model, or the slot they would return to holds none. A step"
          + " below 100% never chooses them.")
  public Integer cannotRevert;

  @JsonPropertyDescription(
      "After a rollback, devices told to run the model that do not run their previous model"
          + " (again): those that had none to return to, and those whose switch back has not"
          + " succeeded yet or failed every attempt; status.notReturned names them.")
  public Integer notReturned;

  @JsonPropertyDescription(
      "Devices of the step that no write starts for because no maintenance window is open; never"
          + " failed. Only set when the rollout has spec.maintenanceWindows.")
  public Integer waitingForWindow;

  @JsonPropertyDescription(
      "Devices of the step whose battery or link is below spec.deviceConditions; they wait, never"
          + " failed. Only set when the rollout has spec.deviceConditions.")
  public Integer waitingForCondition;
}
