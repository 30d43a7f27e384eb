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
 * ever measured (NaN) a ratio rule cannot be judged and passes. Rates are judged on their counts: a
 * rate rule fails only when a one-sided binomial test shows the updated cohort's rate above the
 * limit at 99% confidence ({@link RateEvidence}), and passes only once the cohort ran {@code
 * minInferences}; until then it is inconclusive, and so is the verdict. A selfTestFailures rule
 * with a max fails as soon as more devices failed their self-test, however few were updated, and a
 * reboots rule with a max as soon as one updated device rebooted more often (a crash loop): its
 * message names the device.
 */
public final class GateEvaluator {

  /** Inferences the updated cohort must run before a rate rule can pass. */
  public static final long DEFAULT_MIN_INFERENCES = 50;

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
    return judge(gates, updated, baseline, LabelEvidence.NONE);
  }

  /**
   * @param labels the labeled alarm windows a falseAlarmRate rule judges
   */
  public static GateVerdict judge(
      GatesSpec gates,
      CohortSignals updated,
      ToDoubleFunction<GateRule.Metric> baseline,
      LabelEvidence labels) {
    int minDevices = gates.minDevices == null ? 1 : gates.minDevices;
    GateVerdict facts = facts(gates, updated);
    if (facts != null) {
      return facts;
    }
    if (updated.devices() < minDevices) {
      return new GateVerdict(
          GateVerdict.Outcome.INCONCLUSIVE,
          List.of(),
          updated.devices() + " updated devices reported, the gates need " + minDevices);
    }
    long minInferences = gates.minInferences == null ? DEFAULT_MIN_INFERENCES : gates.minInferences;
    List<GateVerdict.RuleResult> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    long minLabeled =
        gates.minLabeledWindows == null
            ? FalseAlarmRule.DEFAULT_MIN_LABELED
            : gates.minLabeledWindows;
    for (GateRule rule : gates.rules == null ? List.<GateRule>of() : gates.rules) {
      if (rule.metric == GateRule.Metric.FALSE_ALARM_RATE) {
        GateVerdict.RuleResult result = FalseAlarmRule.judge(rule, labels, minLabeled);
        results.add(result);
        if (result.outcome() == GateVerdict.Outcome.FAILED) {
          failed.add(
              String.format(
                  Locale.ROOT,
                  "falseAlarmRate %.4g > %.4g over %d labeled alarm windows",
                  result.updated(),
                  result.limit(),
                  labels.updated().labeled()));
        } else if (result.outcome() == GateVerdict.Outcome.INCONCLUSIVE) {
          undecided.add(FalseAlarmRule.undecided(result, labels, minLabeled));
        }
        continue;
      }
      double value = updated.value(rule.metric);
      double base = baseline.applyAsDouble(rule.metric);
      double limit = rule.max != null ? rule.max : rule.maxRatioToBaseline * base;
      GateVerdict.Outcome outcome = judge(rule.metric, updated, value, limit, minInferences);
      results.add(new GateVerdict.RuleResult(rule.metric, value, base, limit, outcome));
      String line = String.format(Locale.ROOT, "%s %.4g > %.4g", name(rule.metric), value, limit);
      if (rule.metric == GateRule.Metric.REBOOTS && updated.mostRebooted() != null) {
        line += " (" + updated.mostRebooted() + ")";
      }
      if (outcome == GateVerdict.Outcome.FAILED) {
        failed.add(line);
      } else if (outcome == GateVerdict.Outcome.INCONCLUSIVE) {
        undecided.add(undecidedLine(rule.metric, updated, value, limit, minInferences));
      }
    }
    if (!failed.isEmpty()) {
      return new GateVerdict(GateVerdict.Outcome.FAILED, results, String.join("; ", failed));
    }
    if (!undecided.isEmpty()) {
      return new GateVerdict(
          GateVerdict.Outcome.INCONCLUSIVE, results, String.join("; ", undecided));
    }
    return new GateVerdict(
        GateVerdict.Outcome.PASSED,
        results,
        results.size() + " gates passed on " + updated.devices() + " updated devices");
  }

  /**
   * One rule. Rates per inference are judged on their counts: beyond the limit only when the counts
   * show it ({@link RateEvidence}), within it only once the updated cohort ran {@code
   * minInferences}; in between, not yet known. Other metrics are compared as they are.
   */
  private static GateVerdict.Outcome judge(
      GateRule.Metric metric,
      CohortSignals updated,
      double value,
      double limit,
      long minInferences) {
    if (Double.isNaN(limit)) {
      return GateVerdict.Outcome.PASSED;
    }
    long events = updated.events(metric);
    if (events < 0) {
      return value <= limit ? GateVerdict.Outcome.PASSED : GateVerdict.Outcome.FAILED;
    }
    if (RateEvidence.exceeds(updated.inferences(), events, limit)) {
      return GateVerdict.Outcome.FAILED;
    }
    return value <= limit && updated.inferences() >= minInferences
        ? GateVerdict.Outcome.PASSED
        : GateVerdict.Outcome.INCONCLUSIVE;
  }

  private static String undecidedLine(
      GateRule.Metric metric, CohortSignals updated, double value, double limit, long min) {
    return updated.inferences() < min
        ? String.format(
            Locale.ROOT,
            "%s: %d of the %d inferences it needs",
            name(metric),
            updated.inferences(),
            min)
        : String.format(
            Locale.ROOT,
            "%s %.4g above %.4g over %d inferences, not yet significant",
            name(metric),
            value,
            limit,
            updated.inferences());
  }

  /**
   * A self-test failure is a fact, not noise, and so is a device that keeps rebooting on the model:
   * a selfTestFailures or reboots rule with a max fails on it however few devices were updated.
   * Null when no such rule fails.
   */
  private static GateVerdict facts(GatesSpec gates, CohortSignals updated) {
    for (GateRule rule : gates.rules == null ? List.<GateRule>of() : gates.rules) {
      boolean fact =
          rule.metric == GateRule.Metric.SELF_TEST_FAILURES
              || rule.metric == GateRule.Metric.REBOOTS;
      if (!fact || rule.max == null || updated.value(rule.metric) <= rule.max) {
        continue;
      }
      double value = updated.value(rule.metric);
      String message =
          rule.metric == GateRule.Metric.REBOOTS
              ? String.format(
                  Locale.ROOT,
                  "reboots %d > %.4g: %s rebooted %d times running the model (crash loop)",
                  updated.mostReboots(),
                  rule.max,
                  updated.mostRebooted(),
                  updated.mostReboots())
              : String.format(
                  Locale.ROOT, "selfTestFailures %d > %.4g", updated.selfTestFailures(), rule.max);
      return new GateVerdict(
          GateVerdict.Outcome.FAILED,
          List.of(
              new GateVerdict.RuleResult(
                  rule.metric, value, Double.NaN, rule.max, GateVerdict.Outcome.FAILED)),
          message);
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
