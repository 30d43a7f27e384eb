package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The estimated energy of a model on one chip of the group's members, at the group's rates. */
public class EnergyEstimateInfo {

  @JsonPropertyDescription("Chip profile: esp32, esp32s3, stm32f4 or stm32l4.")
  public String chip;

  @JsonPropertyDescription(
      "Microjoules of one inference: the chip's active power times the latency estimate, the"
          + " MCU alone (docs/device-runtime.md#power), to 0.01.")
  public Double energyPerInferenceMicrojoules;

  @JsonPropertyDescription(
      "Average milliwatts of a member of this chip at the group's sampling period and report"
          + " interval: awake for the inferences and its link frames, asleep the rest"
          + " (docs/device-runtime.md#power), to 0.001.")
  public Double averagePowerMilliwatts;
}
