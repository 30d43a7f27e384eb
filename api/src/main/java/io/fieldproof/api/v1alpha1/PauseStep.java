package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** A pause step: timed when it has a duration, manual when it has none. */
public class PauseStep {

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long to soak, as a duration: 10m. Absent: a manual pause.")
  public String duration;
}
