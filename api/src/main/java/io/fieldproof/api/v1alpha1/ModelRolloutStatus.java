package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a rollout; bounded in size whatever the fleet's size. */
public class ModelRolloutStatus {

  /** The lifecycle of a rollout. */
  public enum Phase {
    @JsonProperty("Pending")
    PENDING,
    @JsonProperty("Validating")
    VALIDATING,
    @JsonProperty("Progressing")
    PROGRESSING,
    @JsonProperty("Paused")
    PAUSED,
    @JsonProperty("Succeeded")
    SUCCEEDED,
    @JsonProperty("Failed")
    FAILED,
    @JsonProperty("RolledBack")
    ROLLED_BACK,
    @JsonProperty("Superseded")
    SUPERSEDED
  }

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  public Long observedGeneration;

  @JsonPropertyDescription(
      "Pending, Validating, Progressing, Paused, Succeeded, Failed, RolledBack or Superseded.")
  public Phase phase;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Validated, Progressing, Complete, Failed, RollbackComplete once rolled back (True when"
          + " every device sent back runs its previous model again), and Reconciling and Stalled"
          + " for kstatus, as metav1.Condition.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("1-based index of the step being executed; 0 before the first step.")
  public Integer currentStep;

  @JsonPropertyDescription("When the current step began, RFC 3339: timed pauses count from it.")
  public String stepStartedAt;

  @JsonPropertyDescription("What inspection of the model file found.")
  public ModelInspection model;

  @JsonPropertyDescription("Targeted devices counted by rollout state.")
  public RolloutDeviceCounts devices;

  @Size(max = 16)
  @JsonPropertyDescription("The latest result of each gate rule.")
  public List<GateResult> gates;

  @Size(max = 20)
  @JsonPropertyDescription("At most 20 failed devices, the most recent first.")
  public List<DeviceFailure> failures;

  @JsonPropertyDescription("One line on what the rollout is doing now.")
  public String message;

  @Size(max = 20)
  @JsonPropertyDescription(
      "After a rollback, at most 20 devices not back on their previous model, by id: those that"
          + " could not return to one and keep the rollout's, and those still on their way back"
          + " (switching, retrying a failed switch, waiting to answer, or given up on after every"
          + " attempt); devices.notReturned counts them all.")
  public List<UnreturnedDevice> notReturned;

  @Size(max = 20)
  @JsonPropertyDescription(
      "At most 20 devices of the step waiting for a maintenance window or a device condition,"
          + " each with why.")
  public List<WaitingDevice> waiting;

  @JsonPropertyDescription(
      "With spec.maintenanceWindows: whether a window is open now, and when it closes or the"
          + " next opens.")
  public MaintenanceWindowStatus maintenanceWindow;
}
