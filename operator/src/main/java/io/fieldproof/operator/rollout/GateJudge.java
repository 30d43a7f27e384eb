package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.operator.rollout.gates.CohortSignals;
import io.fieldproof.operator.rollout.gates.GateEvaluator;
import io.fieldproof.operator.rollout.gates.GateVerdict;
import io.fieldproof.operator.rollout.gates.LabelEvidence;
import io.fieldproof.operator.rollout.gates.SignalWindows;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.progress.GateCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.ToDoubleFunction;

/**
 * Judges a rollout's gates on live signals: the devices that run the model and confirmed it against
 * the devices that run something else. Once no device is left in the baseline (the last step),
 * ratio rules are held to the baseline last recorded in status.
 */
final class GateJudge {

  /**
   * The gates' check for the stepper and their results for status.
   *
   * @param check the verdict, and whether too few devices run the model
   * @param results each rule's latest result
   */
  record Judgement(GateCheck check, List<GateResult> results) {}

  private GateJudge() {}

  static Judgement judge(
      GatesSpec gates,
      String sha256,
      Collection<DeviceView> views,
      SignalWindows windows,
      ModelRolloutStatus previous,
      Instant now) {
    return judge(gates, sha256, null, views, windows, LabelEvidence.NONE, previous, now);
  }

  /**
   * @param configGeneration the generation of the config the rollout sends with its model, or null:
   *     the updated devices run both, the baseline every other device
   * @param labels the labeled alarm windows under the rollout's model and under the others
   */
  static Judgement judge(
      GatesSpec gates,
      String sha256,
      Long configGeneration,
      Collection<DeviceView> views,
      SignalWindows windows,
      LabelEvidence labels,
      ModelRolloutStatus previous,
      Instant now) {
    if (gates == null || gates.rules == null || gates.rules.isEmpty()) {
      return new Judgement(
          new GateCheck(new GateVerdict(GateVerdict.Outcome.PASSED, List.of(), "no gates"), false),
          List.of());
    }
    List<String> updated =
        views.stream().filter(v -> v.state() == DeviceState.UPDATED).map(DeviceView::id).toList();
    List<String> everyone = views.stream().map(DeviceView::id).toList();
    long selfTestFailures =
        views.stream().filter(v -> "SelfTestMismatch".equals(v.reason())).count();
    BiPredicate<String, Long> unit =
        (sha, generation) ->
            sha.equals(sha256) && (configGeneration == null || generation.equals(configGeneration));
    CohortSignals updatedSignals = windows.signals(updated, unit, selfTestFailures, now);
    CohortSignals baseline = windows.signals(everyone, unit.negate(), 0, now);
    ToDoubleFunction<GateRule.Metric> baselineValue =
        baseline.devices() > 0 ? baseline::baselineValue : metric -> remembered(previous, metric);
    GateVerdict verdict = GateEvaluator.judge(gates, updatedSignals, baselineValue, labels);
    int minDevices = gates.minDevices == null ? 1 : gates.minDevices;
    return new Judgement(
        new GateCheck(verdict, updated.size() < minDevices),
        results(gates, verdict, updatedSignals, baselineValue));
  }

  private static List<GateResult> results(
      GatesSpec gates,
      GateVerdict verdict,
      CohortSignals updated,
      ToDoubleFunction<GateRule.Metric> baseline) {
    List<GateResult> results = new ArrayList<>();
    for (GateRule rule : gates.rules) {
      GateVerdict.RuleResult judged =
          verdict.rules().stream().filter(r -> r.metric() == rule.metric).findFirst().orElse(null);
      GateResult result = new GateResult();
      result.metric = rule.metric;
      result.value = round(judged == null ? updated.value(rule.metric) : judged.updated());
      result.baseline =
          round(judged == null ? baseline.applyAsDouble(rule.metric) : judged.baseline());
      result.result =
          judged == null
              ? GateResult.Result.INCONCLUSIVE
              : switch (judged.outcome()) {
                case PASSED -> GateResult.Result.PASS;
                case FAILED -> GateResult.Result.FAIL;
                case INCONCLUSIVE -> GateResult.Result.INCONCLUSIVE;
              };
      results.add(result);
    }
    return results;
  }

  /** The baseline of {@code metric} in the last status, NaN when none was recorded. */
  private static double remembered(ModelRolloutStatus previous, GateRule.Metric metric) {
    if (previous == null || previous.gates == null) {
      return Double.NaN;
    }
    return previous.gates.stream()
        .filter(g -> g.metric == metric)
        .map(g -> g.baseline)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(Double.NaN);
  }

  /** Three significant digits: status changes only when a value really moves. */
  private static Double round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).doubleValue();
  }
}
