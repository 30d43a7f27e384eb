package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Members of a device group counted by state. */
public class DeviceCounts {

  @JsonPropertyDescription("online/total, as kubectl shows it in the DEVICES column.")
  public String summary;

  @JsonPropertyDescription("Devices the selector matches.")
  public int total;

  @JsonPropertyDescription("Members heard from within offlineAfterSeconds.")
  public int online;

  @JsonPropertyDescription(
      "Members not heard from within offlineAfterSeconds, or whose gateway left.")
  public int offline;

  @JsonPropertyDescription("Online members with no sensor fault, no fallback and no drift.")
  public int healthy;

  @JsonPropertyDescription("Members flashing or verifying a model.")
  public int updating;

  @JsonPropertyDescription("Members currently deciding by fallback rules.")
  public int fallbackActive;

  @JsonPropertyDescription(
      "Members a safe-state fallback rule decides for now: their outputs are in their safe state."
          + " Counted in fallbackActive too.")
  public int safeState;

  @JsonPropertyDescription("Members reporting a sensor fault (stuck, out of range, dropout).")
  public int sensorFault;

  @JsonPropertyDescription("Members with at least one drifting input.")
  public int drifting;

  @JsonPropertyDescription("Members the group's model does not fit (arena, flash or operators).")
  public int incompatible;

  @JsonPropertyDescription(
      "Members that could not return to an earlier model if the one they run failed: they run"
          + " none, or their other slot holds no model that would boot.")
  public int cannotRevert;
}
