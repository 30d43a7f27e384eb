package io.fieldproof.operator.rollout.gates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FalseAlarmGateTest {

  private static final CohortSignals CANARY =
      new CohortSignals(3, 5000, 10, 0, 0, List.of(2.0), 0, 0);

  private static GatesSpec gates(Long minLabeled, GateRule rule) {
    GatesSpec gates = new GatesSpec();
    gates.minDevices = 1;
    gates.minLabeledWindows = minLabeled;
    gates.rules = List.of(rule);
    return gates;
  }

  private static GateRule max(double max) {
    GateRule rule = new GateRule();
    rule.metric = GateRule.Metric.FALSE_ALARM_RATE;
    rule.max = max;
    return rule;
  }

  private static GateRule ratio(double ratio) {
    GateRule rule = new GateRule();
    rule.metric = GateRule.Metric.FALSE_ALARM_RATE;
    rule.maxRatioToBaseline = ratio;
    return rule;
  }

  private static LabelEvidence labels(
      long trueUpdated, long falseUpdated, long trueOld, long falseOld) {
    return new LabelEvidence(
        new LabelTally(trueUpdated, falseUpdated, 0), new LabelTally(trueOld, falseOld, 0));
  }

  @Test
  void aModelWhoseLabeledAlarmsAreMostlyFalseFailsTheGateAsSoonAsTheLabelsShowIt() {
    GateVerdict verdict =
        GateEvaluator.judge(gates(20L, max(0.2)), CANARY, m -> 0, labels(0, 6, 0, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(verdict.message())
        .isEqualTo("falseAlarmRate 1.000 > 0.2000 over 6 labeled alarm windows");
  }

  @Test
  void aRateWithinTheLimitPassesOnlyOnceEnoughWindowsAreLabeled() {
    GatesSpec gates = gates(10L, max(0.3));

    GateVerdict early = GateEvaluator.judge(gates, CANARY, m -> 0, labels(4, 1, 0, 0));
    GateVerdict later = GateEvaluator.judge(gates, CANARY, m -> 0, labels(8, 2, 0, 0));

    assertThat(early.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(early.message())
        .isEqualTo("falseAlarmRate: 5 of the 10 labeled alarm windows it needs");
    assertThat(later.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
  }

  @Test
  void aRatioRuleHoldsTheNewModelToTheFalseAlarmsOfTheModelsItReplaces() {
    GatesSpec gates = gates(20L, ratio(0.5));

    GateVerdict better = GateEvaluator.judge(gates, CANARY, m -> 0, labels(38, 2, 10, 30));
    GateVerdict worse = GateEvaluator.judge(gates, CANARY, m -> 0, labels(10, 30, 38, 2));

    assertThat(better.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
    assertThat(better.rules().get(0).baseline()).isEqualTo(31 / 41.0);
    assertThat(worse.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
  }

  @Test
  void aRateAboveTheLimitThatTheLabelsCannotYetShowWaits() {
    GateVerdict verdict =
        GateEvaluator.judge(gates(5L, max(0.2)), CANARY, m -> 0, labels(5, 2, 0, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(verdict.message())
        .isEqualTo(
            "falseAlarmRate 0.2857 above 0.2000 over 7 labeled alarm windows, not yet significant");
  }

  @Test
  void withoutALabeledBaselineARatioRulePassesOnTheUpdatedLabelsAlone() {
    GatesSpec gates = gates(3L, ratio(1.0));

    GateVerdict verdict = GateEvaluator.judge(gates, CANARY, m -> 0, labels(2, 1, 0, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
    assertThat(verdict.rules().get(0).baseline()).isNaN();
  }

  @Test
  void sensorFaultLabelsAreCountedButNotJudgedAsTheModels() {
    LabelTally tally = new LabelTally(3, 1, 6);

    assertThat(tally.labeled()).isEqualTo(4);
    assertThat(tally.rate()).isEqualTo(0.25);
  }
}
