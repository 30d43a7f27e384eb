package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Limits past which the group's Degraded condition turns True. */
public class HealthSpec {

  @Min(0)
  @Max(100)
  @Default("10")
  @JsonPropertyDescription("Percent of members that may be offline before the group is Degraded.")
  public Double maxOfflinePercent;

  @Min(0)
  @Max(100)
  @Default("5")
  @JsonPropertyDescription(
      "Percent of members that may run on fallback rules before the group is Degraded.")
  public Double maxFallbackPercent;

  @Min(0)
  @Max(100)
  @Default("5")
  @JsonPropertyDescription(
      "Percent of members that may report a sensor fault before the group is Degraded.")
  public Double maxSensorFaultPercent;
}
