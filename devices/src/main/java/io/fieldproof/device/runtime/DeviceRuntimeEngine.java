package io.fieldproof.device.runtime;

import io.fieldproof.protocol.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device runtime every Fieldproof device runs, one step per sensor window (see
 * docs/device-runtime.md): validate each input, normalize, run the model when every input is valid
 * and a model is active, decide by threshold and debounce, let fallback rules override, track
 * drift, count everything.
 */
public final class DeviceRuntimeEngine {

  private final RuntimeConfig config;
  private final List<InputGuard> guards = new ArrayList<>();
  private final List<DriftMonitor> drift = new ArrayList<>();
  private final Debouncer debouncer;
  private final FallbackEvaluator fallback;
  private final RuntimeHealth health = new RuntimeHealth();
  private final double[] normalized;
  private final long cyclesPerMicro;
  private final CaptureRing capture;
  private final CaptureTriggers triggers;
  private final List<String> names = new ArrayList<>();
  private double lastScore = Double.NaN;
  private ModelRunner model;
  private Decision last = new Decision(Decision.Outcome.NORMAL, Decision.Source.NONE, null);

  /**
   * @param samplesPerWindow how many steps the drift's running mean averages over (window seconds
   *     divided by the step period)
   * @param cpuMhz the core clock, to turn inference cycles into time
   */
  public DeviceRuntimeEngine(RuntimeConfig config, int samplesPerWindow, long cpuMhz) {
    this.config = config;
    RuntimeConfig.Drift spec = config.drift();
    double maxShiftSigma = spec == null ? 3.0 : spec.maxMeanShiftSigma();
    int minSamples =
        spec == null || spec.minSamples() == null
            ? RuntimeConfig.Drift.DEFAULT_MIN_SAMPLES
            : spec.minSamples();
    for (RuntimeConfig.Input input : config.inputs()) {
      guards.add(new InputGuard(input));
      drift.add(
          new DriftMonitor(input.driftReference(), samplesPerWindow, maxShiftSigma, minSamples));
    }
    this.normalized = new double[guards.size()];
    this.debouncer =
        new Debouncer(config.decision() == null ? 1 : config.decision().minConsecutive());
    this.fallback = new FallbackEvaluator(config.fallback());
    this.cyclesPerMicro = Math.max(1, cpuMhz);
    config.inputs().forEach(input -> names.add(input.name()));
    this.capture =
        config.capture() == null ? null : new CaptureRing(config.capture(), guards.size());
    this.triggers = config.capture() == null ? null : new CaptureTriggers(config.capture());
  }

  /**
   * Seeds the random choice of the readings captured as samples of normal operation with the
   * device's id, so that devices configured together do not capture at the same steps.
   */
  public void captureSeed(String deviceId) {
    if (triggers != null) {
      triggers.seed(deviceId);
    }
  }

  /** The capture ring, when the config captures. */
  public java.util.Optional<CaptureRing> capture() {
    return java.util.Optional.ofNullable(capture);
  }

  /** Sets or clears (null) the active model; a model whose input width differs is refused. */
  public void activate(ModelRunner runner) {
    if (runner != null && runner.features() != guards.size()) {
      throw new IllegalArgumentException(
          "the model takes "
              + runner.features()
              + " features but the group declares "
              + guards.size()
              + " inputs");
    }
    this.model = runner;
  }

  public Decision step(Map<String, Double> raw) {
    return step(raw, 0);
  }

  /** One step over one reading per input, taken at {@code uptimeMs} (what a capture records). */
  public Decision step(Map<String, Double> raw, long uptimeMs) {
    health.step();
    long episodes = health.alarmEpisodes();
    long activations = health.fallbackActivations();
    long faultOnsets = health.faultOnsets();
    long driftOnsets = health.driftOnsets();
    ReadingVerdict[] verdicts = new ReadingVerdict[guards.size()];
    lastScore = Double.NaN;
    boolean inputsValid = true;
    for (int i = 0; i < guards.size(); i++) {
      InputGuard guard = guards.get(i);
      Double reading = raw.get(guard.name());
      ReadingVerdict verdict = guard.check(reading);
      verdicts[i] = verdict;
      if (verdict.valid()) {
        health.clearFault(guard.name());
        normalized[i] = guard.normalize(reading);
        DriftMonitor monitor = drift.get(i);
        monitor.add(reading);
        if (monitor.measured()) {
          health.drifting(guard.name(), monitor.drifting(), monitor.milliSigma());
        }
      } else {
        inputsValid = false;
        health.rejected(guard.name(), verdict);
      }
    }
    boolean modelAvailable = model != null;
    Decision decided = decide(raw, modelAvailable, inputsValid);
    health.outcome(decided.outcome() == Decision.Outcome.ALARM);
    health.fallback(fallbackAction(decided));
    if (decided.source() == Decision.Source.MODEL) {
      last = decided;
    }
    if (capture != null) {
      capture.record(uptimeMs, lastScore, decided, raw, names, normalized, verdicts);
      String fired =
          triggers.fired(
              health.alarmEpisodes() > episodes,
              health.fallbackActivations() > activations,
              health.faultOnsets() > faultOnsets,
              health.driftOnsets() > driftOnsets);
      if (fired != null) {
        capture.trigger(fired);
      }
    }
    return decided;
  }

  private Decision decide(Map<String, Double> raw, boolean modelAvailable, boolean inputsValid) {
    Optional<RuntimeConfig.Rule> rule = fallback.firing(raw, modelAvailable, inputsValid);
    Decision fromModel = null;
    if (modelAvailable && inputsValid) {
      int output = config.decision() == null ? 0 : config.decision().output();
      double score = model.score(normalized, output);
      lastScore = score;
      health.inference(model.lastCycles(), model.lastCycles() / cyclesPerMicro);
      boolean alarm = debouncer.offer(score > config.decision().threshold());
      fromModel =
          new Decision(
              alarm ? Decision.Outcome.ALARM : Decision.Outcome.NORMAL,
              Decision.Source.MODEL,
              null);
    }
    if (rule.isPresent()) {
      return new Decision(outcome(rule.get().action()), Decision.Source.RULE, rule.get().name());
    }
    if (fromModel != null) {
      return fromModel;
    }
    String mode = config.fallback() == null ? "hold-last" : config.fallback().mode();
    if ("hold-last".equals(mode) && last.source() == Decision.Source.MODEL) {
      return new Decision(last.outcome(), Decision.Source.HOLD_LAST, null);
    }
    return new Decision(Decision.Outcome.NORMAL, Decision.Source.NONE, null);
  }

  /** The fallback action that decided, as the counters name it; null when no fallback did. */
  private static String fallbackAction(Decision decided) {
    return switch (decided.source()) {
      case HOLD_LAST -> "hold-last";
      case RULE ->
          switch (decided.outcome()) {
            case ALARM -> "alarm";
            case SUPPRESSED -> "suppress";
            default -> "safe-state";
          };
      default -> null;
    };
  }

  private static Decision.Outcome outcome(String action) {
    if (action == null) {
      return Decision.Outcome.SAFE_STATE;
    }
    return switch (action) {
      case "alarm" -> Decision.Outcome.ALARM;
      case "suppress" -> Decision.Outcome.SUPPRESSED;
      default -> Decision.Outcome.SAFE_STATE;
    };
  }

  public RuntimeHealth health() {
    return health;
  }
}
