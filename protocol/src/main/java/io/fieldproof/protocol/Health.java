package io.fieldproof.protocol;

import java.util.List;
import java.util.Map;

/**
 * A device's health counters since it booted, as its agent last read them: what the gates and the
 * DeviceGroup status are computed from.
 */
public record Health(
    long uptimeMs,
    long readings,
    long telemetryFrames,
    long inferences,
    long alarms,
    long fallbackActivations,
    boolean fallbackActive,
    long sensorFaults,
    Map<String, Long> sensorFaultsByKind,
    List<String> driftingInputs,
    Double latencyP95Ms) {

  public Health {
    sensorFaultsByKind = sensorFaultsByKind == null ? Map.of() : Map.copyOf(sensorFaultsByKind);
    driftingInputs = driftingInputs == null ? List.of() : List.copyOf(driftingInputs);
  }
}
