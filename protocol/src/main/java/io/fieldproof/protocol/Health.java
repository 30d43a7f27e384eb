package io.fieldproof.protocol;

import java.util.List;
import java.util.Map;

/**
 * A device's health counters since it booted, as its agent last read them: what the gates and the
 * DeviceGroup status are computed from. {@code driftSigma} is, per input the device measures drift
 * on, how far its running mean lies from the training reference, in reference standard deviations
 * (absent from reports of agents that predate it: empty).
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
    Double latencyP95Ms,
    Map<String, Double> driftSigma) {

  public Health {
    sensorFaultsByKind = sensorFaultsByKind == null ? Map.of() : Map.copyOf(sensorFaultsByKind);
    driftingInputs = driftingInputs == null ? List.of() : List.copyOf(driftingInputs);
    driftSigma = driftSigma == null ? Map.of() : Map.copyOf(driftSigma);
  }

  /** Health without drift magnitudes. */
  public Health(
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
    this(
        uptimeMs,
        readings,
        telemetryFrames,
        inferences,
        alarms,
        fallbackActivations,
        fallbackActive,
        sensorFaults,
        sensorFaultsByKind,
        driftingInputs,
        latencyP95Ms,
        null);
  }
}
