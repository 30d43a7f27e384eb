package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Drift detection against the training reference: per input a running mean on the device, compared
 * with the reference mean in reference standard deviations.
 */
public class DriftSpec {

  @Pattern(Patterns.DURATION)
  @Default("1h")
  @JsonPropertyDescription(
      "How long the device's running mean of each input averages over, as a duration: 1h, 30m"
          + " (the plain mean of that many readings, then exponentially weighted; a few bytes per"
          + " input whatever its length).")
  public String window;

  @Min(value = 0, inclusive = false)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription(
      "An input whose running mean lies more than this many reference standard deviations from"
          + " the reference mean (inputs[].driftReference, else its normalization) is past the"
          + " limit.")
  public Double maxMeanShiftSigma;

  @Min(1)
  @Max(86400)
  @JsonPropertyDescription(
      "Valid readings in a row past the limit before an input counts as drifting; 10 when not"
          + " set.")
  public Integer minSamples;
}
