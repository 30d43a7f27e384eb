package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The estimated power of the members of one chip that the group's model runs on. */
public class ChipPower {

  @JsonPropertyDescription("Chip profile: esp32, esp32s3, stm32f4 or stm32l4.")
  public String chip;

  @JsonPropertyDescription("Members of this chip.")
  public int devices;

  @JsonPropertyDescription(
      "Microjoules of one inference of the group's current model on this chip, to 0.01.")
  public Double energyPerInferenceMicrojoules;

  @JsonPropertyDescription(
      "Average milliwatts of one member of this chip at the group's rates, to 0.001.")
  public Double averagePowerMilliwatts;
}
