package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The estimated time of one inference on one chip profile. */
public class LatencyEstimateInfo {

  @JsonPropertyDescription("Chip profile: esp32, esp32s3, stm32f4 or stm32l4.")
  public String chip;

  @JsonPropertyDescription("Core clock of the profile in MHz.")
  public Long clockMhz;

  @JsonPropertyDescription(
      "Estimated core cycles of one inference with the device firmware's int8 runner.")
  public Long cycles;

  @JsonPropertyDescription(
      "Estimated microseconds of one inference (cycles / clockMhz). Calibrated on instruction"
          + " counts, so a lower bound; expect 1.3 to 1.6 times this on a chip"
          + " (docs/benchmarks.md).")
  public Long micros;
}
