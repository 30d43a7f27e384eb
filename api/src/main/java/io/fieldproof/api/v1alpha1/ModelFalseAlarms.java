package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What people said of the alarm windows the group's devices captured while running one model: how
 * many they labeled, and how many of those were false.
 */
public class ModelFalseAlarms {

  @JsonPropertyDescription("sha256 of the model the devices ran when they captured the windows.")
  public String modelSha256;

  @JsonPropertyDescription("Name and version of the model, when the group or a rollout knows it.")
  public String model;

  @JsonPropertyDescription("Alarm windows labeled trueAlarm or falseAlarm.")
  public long labeledAlarms;

  @JsonPropertyDescription("Alarm windows labeled falseAlarm.")
  public long falseAlarms;

  @JsonPropertyDescription(
      "Alarm windows labeled sensorFault: the readings were wrong, not the process. Counted apart,"
          + " not in the false-alarm rate, which judges the model.")
  public long sensorFaults;

  @JsonPropertyDescription(
      "falseAlarms / labeledAlarms, to three significant digits; absent with no labeled alarm.")
  public Double falseAlarmRate;
}
