package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The estimated power of a group's members running its current model, at its sampling period and
 * report interval (docs/device-runtime.md#power).
 */
public class GroupPower {

  @JsonPropertyDescription(
      "Inferences per second of each member: 1000 / spec.power.samplingPeriodMilliseconds.")
  public Double inferencesPerSecond;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Per chip of the members the fleet knows a power profile for, in the order esp32,"
          + " esp32s3, stm32f4, stm32l4.")
  public List<ChipPower> chips;

  @JsonPropertyDescription("Sum of the members' average power, in milliwatts, to 0.001.")
  public Double totalMilliwatts;

  @JsonPropertyDescription("Mean of the members' average power, in milliwatts, to 0.001.")
  public Double averagePowerMilliwatts;
}
