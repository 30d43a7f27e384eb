package io.fieldproof.operator.rollout.gates;

import io.fieldproof.api.v1alpha1.GateRule;
import java.util.Locale;

/**
 * Judges a falseAlarmRate rule on labeled windows rather than on device counters: the trials are
 * the updated model's labeled alarm windows, the events those labeled falseAlarm. It fails as soon
 * as the labels show a rate above the limit ({@link RateEvidence}), passes once {@code minLabeled}
 * windows are labeled within it, and waits in between.
 */
final class FalseAlarmRule {

  /** Labeled alarm windows the rule needs before it can pass, when the gates do not say. */
  static final long DEFAULT_MIN_LABELED = 20;

  private FalseAlarmRule() {}

  static GateVerdict.RuleResult judge(GateRule rule, LabelEvidence labels, long minLabeled) {
    LabelTally updated = labels.updated();
    double value = updated.rate();
    double base = labels.baseline().baselineRate();
    double limit = rule.max != null ? rule.max : rule.maxRatioToBaseline * base;
    GateVerdict.Outcome outcome;
    if (Double.isNaN(limit)) {
      outcome =
          updated.labeled() >= minLabeled
              ? GateVerdict.Outcome.PASSED
              : GateVerdict.Outcome.INCONCLUSIVE;
    } else if (RateEvidence.exceeds(updated.labeled(), updated.falseAlarms(), limit)) {
      outcome = GateVerdict.Outcome.FAILED;
    } else if (value <= limit && updated.labeled() >= minLabeled) {
      outcome = GateVerdict.Outcome.PASSED;
    } else {
      outcome = GateVerdict.Outcome.INCONCLUSIVE;
    }
    return new GateVerdict.RuleResult(rule.metric, value, base, limit, outcome);
  }

  /** Why the rule waits, in one line. */
  static String undecided(GateVerdict.RuleResult result, LabelEvidence labels, long minLabeled) {
    long labeled = labels.updated().labeled();
    return labeled < minLabeled
        ? String.format(
            Locale.ROOT,
            "falseAlarmRate: %d of the %d labeled alarm windows it needs",
            labeled,
            minLabeled)
        : String.format(
            Locale.ROOT,
            "falseAlarmRate %.4g above %.4g over %d labeled alarm windows, not yet significant",
            result.updated(),
            result.limit(),
            labeled);
  }
}
