package io.fieldproof.protocol;

import java.util.List;
import java.util.Map;

/**
 * A device's health counters since it booted, as its agent last read them: what the gates and the
 * DeviceGroup status are computed from. {@code alarms} counts steps spent in alarm.
 *
 * <p>The last four fields are newer and optional on the wire; an agent or a device that does not
 * report them leaves them out: {@code driftSigma} (per input the device measures drift on, how far
 * its running mean lies from the training reference, in reference standard deviations) is then
 * empty, {@code alarmEpisodes} (steps in alarm after one that was not) null, {@code
 * fallbackActivationsByAction} (activations by fallback action: alarm, suppress, safe-state,
 * hold-last) empty and {@code fallbackAction} (the action deciding now) null. {@code vitals}
 * (battery and link, from the device's STATS counters) is newer still and null when neither the
 * device nor the agent reports it.
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
    Map<String, Double> driftSigma,
    Long alarmEpisodes,
    Map<String, Long> fallbackActivationsByAction,
    String fallbackAction,
    Vitals vitals) {

  /** The fallback action of a safe-state rule. */
  public static final String SAFE_STATE = "safe-state";

  /** The fallback action of a suppress rule. */
  public static final String SUPPRESS = "suppress";

  /** The fallback action of an alarm rule. */
  public static final String ALARM = "alarm";

  /** The fallback action of hold-last (the last model decision held). */
  public static final String HOLD_LAST = "hold-last";

  public Health {
    sensorFaultsByKind = sensorFaultsByKind == null ? Map.of() : Map.copyOf(sensorFaultsByKind);
    driftingInputs = driftingInputs == null ? List.of() : List.copyOf(driftingInputs);
    driftSigma = driftSigma == null ? Map.of() : Map.copyOf(driftSigma);
    fallbackActivationsByAction =
        fallbackActivationsByAction == null ? Map.of() : Map.copyOf(fallbackActivationsByAction);
  }

  /** Health without vitals: a device that reports no battery or link figure. */
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
      Double latencyP95Ms,
      Map<String, Double> driftSigma,
      Long alarmEpisodes,
      Map<String, Long> fallbackActivationsByAction,
      String fallbackAction) {
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
        driftSigma,
        alarmEpisodes,
        fallbackActivationsByAction,
        fallbackAction,
        null);
  }

  /** Health as a device that reports none of the newer fields gives it. */
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
        null,
        null,
        Map.of(),
        null);
  }

  /** Health with drift magnitudes, without alarm episodes or activations by action. */
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
      Double latencyP95Ms,
      Map<String, Double> driftSigma) {
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
        driftSigma,
        null,
        Map.of(),
        null);
  }

  /** Health with alarm episodes and activations by action, without drift magnitudes. */
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
      Double latencyP95Ms,
      Long alarmEpisodes,
      Map<String, Long> fallbackActivationsByAction,
      String fallbackAction) {
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
        null,
        alarmEpisodes,
        fallbackActivationsByAction,
        fallbackAction);
  }

  /** Fallback activations with {@code action} since boot, 0 when none or not reported. */
  public long activations(String action) {
    return fallbackActivationsByAction.getOrDefault(action, 0L);
  }

  /**
   * Alarm episodes since boot; for a device that does not count them, its steps in alarm (each
   * episode has at least one, so never fewer than its episodes).
   */
  public long alarmEpisodesOrAlarms() {
    return alarmEpisodes == null ? alarms : alarmEpisodes;
  }
}
