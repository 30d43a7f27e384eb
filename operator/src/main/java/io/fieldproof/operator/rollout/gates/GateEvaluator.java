package io.fieldproof.operator.rollout.gates;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Judges a rollout's gates: each rule holds the updated cohort's value of a system-level signal to
 * an absolute maximum, or to a ratio of the not-yet-updated baseline's value. With fewer updated
 * devices than {@code minDevices} nothing is judged: the verdict is inconclusive and the rollout
 * pauses rather than pass or fail on noise. A ratio rule with an empty baseline (every device
 * updated) is held to the baseline measured before, which the caller passes in; with no baseline
 * ever measured (NaN) a ratio rule cannot be judged and passes. A selfTestFailures rule with a max
 * fails as soon as more devices failed their self-test, however few were updated.
 */
public final class GateEvaluator {

  private GateEvaluator() {}

  public static GateVerdict judge(GatesSpec gates, CohortSignals updated, CohortSignals baseline) {
    return judge(gates, updated, baseline::baselineValue);
  }

  /**
   * @param baseline the baseline's value of each metric: measured now, or remembered from before
   *     the baseline cohort emptied
   */
  public static GateVerdict judge(
      GatesSpec gates, CohortSignals updated, ToDoubleFunction<GateRule.Metric> baseline) {
    int minDevices = gates.minDevices == null ? 1 : gates.minDevices;
    GateVerdict selfTests = selfTestFailures(gates, updated);
    if (selfTests != null) {
      return selfTests;
    }
    if (updated.devices() < minDevices) {
      return new GateVerdict(
          GateVerdict.Outcome.INCONCLUSIVE,
          List.of(),
          updated.devices() + " updated devices reported, the gates need " + minDevices);
    }
    List<GateVerdict.RuleResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (GateRule rule : gates.rules == null ? List.<GateRule>of() : gates.rules) {
      double value = updated.value(rule.metric);
      double base = baseline.applyAsDouble(rule.metric);
      double limit = rule.max != null ? rule.max : rule.maxRatioToBaseline * base;
      boolean passed = Double.isNaN(limit) || value <= limit;
      results.add(new GateVerdict.RuleResult(rule.metric, value, base, limit, passed));
      if (!passed) {
        failed.add(String.format(Locale.ROOT, "%s %.4g > %.4g", name(rule.metric), value, limit));
      }
    }
    return failed.isEmpty()
        ? new GateVerdict(
            GateVerdict.Outcome.PASSED,
            results,
            results.size() + " gates passed on " + updated.devices() + " updated devices")
        : new GateVerdict(GateVerdict.Outcome.FAILED, results, String.join("; ", failed));
  }

  /**
   * A self-test failure is a fact, not noise: a selfTestFailures rule fails on it however few
   * devices were updated. Null when no such rule fails.
   */
  private static GateVerdict selfTestFailures(GatesSpec gates, CohortSignals updated) {
    for (GateRule rule : gates.rules == null ? List.<GateRule>of() : gates.rules) {
      if (rule.metric == GateRule.Metric.SELF_TEST_FAILURES
          && rule.max != null
          && updated.selfTestFailures() > rule.max) {
        return new GateVerdict(
            GateVerdict.Outcome.FAILED,
            List.of(
                new GateVerdict.RuleResult(
                    rule.metric, updated.selfTestFailures(), Double.NaN, rule.max, false)),
            String.format(
                Locale.ROOT, "selfTestFailures %d > %.4g", updated.selfTestFailures(), rule.max));
      }
    }
    return null;
  }

  private static String name(GateRule.Metric metric) {
    String[] words = metric.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }
}
