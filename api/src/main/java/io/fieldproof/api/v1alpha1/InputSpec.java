package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One input feature: how a reading is validated and normalized on the device. */
public class InputSpec {

  @Required
  @Pattern(Patterns.IDENTIFIER)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Name of the sensor reading, as the device runtime reports it (lower case, digits, '_'"
          + " and '-').")
  public String name;

  @Pattern("^[^\\s]{1,16}$")
  @Size(max = 16)
  @JsonPropertyDescription("Physical unit, for display only (g, C, Pa, ...).")
  public String unit;

  @JsonPropertyDescription("Readings outside this closed range are invalid and rejected.")
  public ValueRange validRange;

  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription(
      "Largest plausible change between two consecutive readings; a larger jump is unstable"
          + " and the reading is rejected.")
  public Double maxStep;

  @Min(2)
  @Max(100000)
  @JsonPropertyDescription(
      "This many identical consecutive readings mean a stuck sensor: a sensor fault.")
  public Integer stuckSamples;

  @JsonPropertyDescription(
      "Normalization done on the device before quantization: z-score (mean, std) or min-max"
          + " (min, max).")
  public Normalization normalize;

  @JsonPropertyDescription(
      "The training data's mean and standard deviation of this input, in its raw unit, that drift"
          + " is measured against. Without it: the z-score's mean and std, or the min-max range's"
          + " midpoint and (max - min) / sqrt(12); an input with neither is not checked for"
          + " drift.")
  public DriftReference driftReference;
}
