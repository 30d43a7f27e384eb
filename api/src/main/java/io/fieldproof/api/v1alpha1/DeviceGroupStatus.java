package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a device group; bounded in size whatever the fleet's size. */
public class DeviceGroupStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  public Long observedGeneration;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Ready, Degraded, ModelConverged, Drifting, Conflict, and Reconciling and Stalled for"
          + " kstatus, as metav1.Condition.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Member devices counted by state.")
  public DeviceCounts devices;

  @JsonPropertyDescription("The model of the group's newest Succeeded rollout.")
  public ModelRef currentModel;

  @JsonPropertyDescription(
      "The Succeeded ModelRollout whose spec.config is in force on the group's devices on top of"
          + " the group's own runtime fields: the newest Succeeded rollout that carries a config.")
  public String configRollout;

  @JsonPropertyDescription("The ModelRollout that currently acts on the group, if any.")
  public String activeRollout;

  @Size(max = 16)
  @JsonPropertyDescription("How many members run each distinct model, most common first.")
  public List<ModelShare> models;

  @Size(max = 20)
  @JsonPropertyDescription("At most 20 members that need attention, worst first.")
  public List<AttentionItem> attention;

  @Size(max = 32)
  @JsonPropertyDescription(
      "Drift against the training reference per input, in spec order, for the inputs members"
          + " report it for: how many members drift on it and how far they have moved.")
  public List<InputDrift> drift;

  @JsonPropertyDescription(
      "Fallback activations by action (safe-state, suppress, alarm and hold-last), summed over"
          + " the members since their last boot.")
  public FallbackActivations fallbackActivations;

  @JsonPropertyDescription(
      "Field-data capture summed over the members: windows captured, missed, uploaded and"
          + " dropped by reason; present when spec.capture is enabled or a member reports"
          + " capture.")
  public GroupCapture capture;

  @Size(max = 8)
  @JsonPropertyDescription(
      "False alarms by model, from the CaptureLabels of the windows the members captured: the"
          + " model the group runs first, then the models with the most labeled alarms, at most 8.")
  public List<ModelFalseAlarms> falseAlarms;

  @JsonPropertyDescription(
      "Estimated power of the members running currentModel at the group's rates, per chip and in"
          + " all; absent without a current model or members of a known chip.")
  public GroupPower power;
}
