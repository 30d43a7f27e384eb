package io.fieldproof.protocol.capture;

import java.util.Arrays;
import java.util.Optional;

/** What made a device keep a window of its readings, by the name captures and labels use. */
public enum CaptureTrigger {
  /** An alarm episode started. */
  ALARM("alarm"),
  /** A fallback or safety rule took over the decision. */
  FALLBACK("fallback"),
  /** An input read invalid (out of range, stuck, missing). */
  SENSOR_FAULT("sensorFault"),
  /** An input drifted past the group's limit. */
  DRIFT("drift"),
  /** Normal operation, chosen at random at the group's sample rate. */
  SAMPLE("sample");

  private final String wireName;

  CaptureTrigger(String wireName) {
    this.wireName = wireName;
  }

  /** The name in object keys, metadata and manifests. */
  public String wireName() {
    return wireName;
  }

  public static Optional<CaptureTrigger> byWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
