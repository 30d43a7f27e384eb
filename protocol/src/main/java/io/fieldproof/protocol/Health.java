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
 * device nor the agent reports it. {@code capture} (the device's capture counters and what its
 * agent uploaded and dropped of its windows, {@link CaptureHealth}) is the newest, null when
 * neither reports any.
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
    Vitals vitals,
    CaptureHealth capture) {

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

  /**
   * A builder for the health a test or a simulated device reports, naming each field it sets: the
   * counters start at 0, the optional fields absent (as a device that does not report them leaves
   * them out).
   */
  public static Builder builder() {
    return new Builder();
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

  /** This health with {@code capture} in place of its own. */
  public Health withCapture(CaptureHealth capture) {
    return new Health(
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
        vitals,
        capture);
  }

  /** Builds a {@link Health}; see {@link #builder()}. */
  public static final class Builder {
    private long uptimeMs;
    private long readings;
    private long telemetryFrames;
    private long inferences;
    private long alarms;
    private long fallbackActivations;
    private boolean fallbackActive;
    private long sensorFaults;
    private Map<String, Long> sensorFaultsByKind = Map.of();
    private List<String> driftingInputs = List.of();
    private Double latencyP95Ms;
    private Map<String, Double> driftSigma = Map.of();
    private Long alarmEpisodes;
    private Map<String, Long> fallbackActivationsByAction = Map.of();
    private String fallbackAction;
    private Vitals vitals;
    private CaptureHealth capture;

    private Builder() {}

    public Builder uptimeMs(long uptimeMs) {
      this.uptimeMs = uptimeMs;
      return this;
    }

    public Builder readings(long readings) {
      this.readings = readings;
      return this;
    }

    public Builder telemetryFrames(long telemetryFrames) {
      this.telemetryFrames = telemetryFrames;
      return this;
    }

    public Builder inferences(long inferences) {
      this.inferences = inferences;
      return this;
    }

    public Builder alarms(long alarms) {
      this.alarms = alarms;
      return this;
    }

    public Builder fallbackActivations(long fallbackActivations) {
      this.fallbackActivations = fallbackActivations;
      return this;
    }

    public Builder fallbackActive(boolean fallbackActive) {
      this.fallbackActive = fallbackActive;
      return this;
    }

    public Builder sensorFaults(long sensorFaults) {
      this.sensorFaults = sensorFaults;
      return this;
    }

    public Builder sensorFaultsByKind(Map<String, Long> sensorFaultsByKind) {
      this.sensorFaultsByKind = sensorFaultsByKind;
      return this;
    }

    public Builder driftingInputs(List<String> driftingInputs) {
      this.driftingInputs = driftingInputs;
      return this;
    }

    public Builder latencyP95Ms(Double latencyP95Ms) {
      this.latencyP95Ms = latencyP95Ms;
      return this;
    }

    public Builder driftSigma(Map<String, Double> driftSigma) {
      this.driftSigma = driftSigma;
      return this;
    }

    public Builder alarmEpisodes(Long alarmEpisodes) {
      this.alarmEpisodes = alarmEpisodes;
      return this;
    }

    public Builder fallbackActivationsByAction(Map<String, Long> fallbackActivationsByAction) {
      this.fallbackActivationsByAction = fallbackActivationsByAction;
      return this;
    }

    public Builder fallbackAction(String fallbackAction) {
      this.fallbackAction = fallbackAction;
      return this;
    }

    public Builder vitals(Vitals vitals) {
      this.vitals = vitals;
      return this;
    }

    public Builder capture(CaptureHealth capture) {
      this.capture = capture;
      return this;
    }

    public Health build() {
      return new Health(
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
          vitals,
          capture);
    }
  }
}
