package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Health reporting from the devices. */
public class TelemetrySpec {

  @Min(1)
  @Max(86400)
  @Default("30")
  @JsonPropertyDescription(
      "Seconds between two health reports of a device: its gateway publishes the device's"
          + " health counters this often (never more often than the gateway's own"
          + " reportInterval, which is how often it looks at the device). A change of link,"
          + " config generation, slots or update phase is reported at once, whatever the"
          + " interval.")
  public Integer reportIntervalSeconds;
}
