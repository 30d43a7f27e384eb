package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Health reporting from the devices. */
public class TelemetrySpec {

  @Min(5)
  @Max(86400)
  @Default("30")
  @JsonPropertyDescription("Seconds between two health reports of a device.")
  public Integer reportIntervalSeconds;
}
