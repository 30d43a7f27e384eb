package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * What a device must report before a rollout starts writing a model to it; a device that does not
 * meet them waits, never counts as failed.
 */
public class DeviceConditions {

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "The lowest battery level, in percent, at which a write may start. A device below it waits"
          + " (status.devices.waitingForCondition) until its battery reports at least this much."
          + " A device that reports no battery (mains powered, or firmware that does not report"
          + " it) meets the condition.")
  public Integer minBatteryPercent;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "The lowest link quality, 0 to 100, at which a write may start: for an ESP32 its Wi-Fi"
          + " RSSI mapped linearly from -100 dBm (0) to -50 dBm (100), for a device on a UART 100"
          + " less its frame error rate in percent. A device below it waits. A device that reports"
          + " no link figure meets the condition.")
  public Integer minLinkQuality;
}
