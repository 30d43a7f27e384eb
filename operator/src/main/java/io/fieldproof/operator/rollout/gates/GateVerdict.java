package io.fieldproof.operator.rollout.gates;

import io.fieldproof.api.v1alpha1.GateRule;
import java.util.List;

/**
 * The result of judging a rollout's gates.
 *
 * @param outcome passed, failed, or inconclusive (too few updated devices, or a rule without the
 *     evidence to decide)
 * @param rules each rule's result, in spec order
 * @param message one line for a condition or an event
 */
public record GateVerdict(Outcome outcome, List<RuleResult> rules, String message) {

  /** How the gates came out. */
  public enum Outcome {
    PASSED,
    FAILED,
    INCONCLUSIVE
  }

  /**
   * One rule's result.
   *
   * @param metric what was judged
   * @param updated its value on the updated cohort
   * @param baseline its value on the baseline cohort (rates with one event more)
   * @param limit the limit it was held to (the max, or the ratio times the baseline's value)
   * @param outcome within the limit, beyond it, or not known yet (a rate over too few inferences,
   *     or above its limit without the counts to show it)
   */
  public record RuleResult(
      GateRule.Metric metric, double updated, double baseline, double limit, Outcome outcome) {

    public boolean passed() {
      return outcome == Outcome.PASSED;
    }
  }

  public GateVerdict {
    rules = List.copyOf(rules);
  }
}
