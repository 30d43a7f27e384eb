package io.fieldproof.operator.rollout.gates;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges a rollout's gates: each rule holds the updated cohort's value of a system-level signal to
 * an absolute maximum, or to a ratio of the not-yet-updated baseline's value. With fewer updated
 * devices than {@code minDevices} nothing is judged: the verdict is inconclusive and the rollout
 * pauses rather than pass or fail on noise. A ratio rule with an empty baseline (every device
 * updated) is held to the baseline measured before, which the caller passes in.
 */
public final class GateEvaluator {

  private GateEvaluator() {}

  public static GateVerdict judge(GatesSpec gates, CohortSignals updated, CohortSignals baseline) {
    int minDevices = gates.minDevices == null ? 1 : gates.minDevices;
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
      double limit =
          rule.max != null ? rule.max : rule.maxRatioToBaseline * baseline.value(rule.metric);
      boolean passed = value <= limit;
      results.add(new GateVerdict.RuleResult(rule.metric, value, limit, passed));
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

  private static String name(GateRule.Metric metric) {
    String[] words = metric.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return name.toString();
  }
}
