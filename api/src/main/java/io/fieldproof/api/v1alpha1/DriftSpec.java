package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Drift detection over a sliding window of normalized inputs. */
public class DriftSpec {

  @Pattern(Patterns.DURATION)
  @Default("1h")
  @JsonPropertyDescription("Length of the window the mean is taken over, as a duration: 1h, 30m.")
  public String window;

  @Min(value = 0, inclusive = false)
  @Max(100)
  @Default("3")
  @JsonPropertyDescription(
      "A normalized input whose window mean moves past this many standard deviations is"
          + " drifting.")
  public Double maxMeanShiftSigma;
}
