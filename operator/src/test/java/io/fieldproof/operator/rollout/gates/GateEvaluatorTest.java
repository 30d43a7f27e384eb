package io.fieldproof.operator.rollout.gates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {

  private static GateRule ratio(GateRule.Metric metric, double ratio) {
    GateRule rule = new GateRule();
    rule.metric = metric;
    rule.maxRatioToBaseline = ratio;
    return rule;
  }

  private static GateRule max(GateRule.Metric metric, double max) {
    GateRule rule = new GateRule();
    rule.metric = metric;
    rule.max = max;
    return rule;
  }

  private static GatesSpec gates(int minDevices, GateRule... rules) {
    GatesSpec gates = new GatesSpec();
    gates.minDevices = minDevices;
    gates.rules = List.of(rules);
    return gates;
  }

  private static CohortSignals cohort(int devices, long inferences, long alarms) {
    return new CohortSignals(devices, inferences, alarms, 0, 0, List.of(3.0, 4.0), 0, 0);
  }

  @Test
  void aCanaryThatAlarmsFarMoreThanTheBaselineFails() {
    GatesSpec spec = gates(2, ratio(GateRule.Metric.ALARM_RATE, 1.5));

    GateVerdict verdict = GateEvaluator.judge(spec, cohort(4, 4000, 40), cohort(16, 16000, 16));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(verdict.message()).startsWith("alarmRate 0.009998 > 0.001594");
    assertThat(verdict.rules()).singleElement().satisfies(r -> assertThat(r.passed()).isFalse());
  }

  @Test
  void aCanaryThatBehavesLikeTheBaselinePassesEveryRule() {
    GatesSpec spec =
        gates(
            2,
            ratio(GateRule.Metric.ALARM_RATE, 1.5),
            max(GateRule.Metric.INFERENCE_LATENCY_P95_MS, 5),
            max(GateRule.Metric.SELF_TEST_FAILURES, 0));

    GateVerdict verdict = GateEvaluator.judge(spec, cohort(4, 4000, 4), cohort(16, 16000, 16));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
    assertThat(verdict.rules()).hasSize(3).allSatisfy(r -> assertThat(r.passed()).isTrue());
  }

  @Test
  void aRateAboveItsLimitOnTooFewCountsIsNotYetAFailure() {
    GateVerdict verdict =
        GateEvaluator.judge(
            gates(1, max(GateRule.Metric.ALARM_RATE, 0.5)), cohort(1, 10, 7), cohort(3, 300, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(verdict.rules())
        .singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE));
  }

  @Test
  void countsThatShowTheRateAboveTheLimitFailEvenBeforeTheMinimumSample() {
    GateVerdict verdict =
        GateEvaluator.judge(
            gates(1, max(GateRule.Metric.ALARM_RATE, 0.5)), cohort(1, 10, 10), cohort(3, 300, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(verdict.message()).startsWith("alarmRate 0.9091 > 0.5000");
  }

  @Test
  void aQuietRatePassesOnlyOnceTheCohortRanTheMinimumOfInferences() {
    GatesSpec spec = gates(1, ratio(GateRule.Metric.ALARM_RATE, 2));
    spec.minInferences = 100L;

    GateVerdict early = GateEvaluator.judge(spec, cohort(1, 40, 0), cohort(3, 3000, 3));
    GateVerdict later = GateEvaluator.judge(spec, cohort(1, 120, 0), cohort(3, 3000, 3));

    assertThat(early.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(early.message()).isEqualTo("alarmRate: 40 of the 100 inferences it needs");
    assertThat(later.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
  }

  @Test
  void oneNoisyInferenceOnACanaryOfOneDoesNotRollBack() {
    // the old point comparison failed this: 1 alarm in 60 inferences against 1.5 x 1/3001
    GateVerdict verdict =
        GateEvaluator.judge(
            gates(1, ratio(GateRule.Metric.ALARM_RATE, 1.5)), cohort(1, 60, 1), cohort(3, 3000, 0));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(verdict.message()).contains("not yet significant");
  }

  @Test
  void tooFewUpdatedDevicesIsInconclusiveNotAPass() {
    GateVerdict verdict =
        GateEvaluator.judge(
            gates(3, ratio(GateRule.Metric.ALARM_RATE, 100)),
            cohort(2, 2000, 0),
            cohort(10, 10000, 10));

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.INCONCLUSIVE);
    assertThat(verdict.message()).contains("need 3");
  }

  @Test
  void signalsArePerInferencePerDeviceAndAtTheNinetyFifthPercentile() {
    CohortSignals signals =
        new CohortSignals(4, 999, 10, 20, 30, List.of(1.0, 2.0, 3.0, 10.0), 1, 8.0);

    assertThat(signals.value(GateRule.Metric.ALARM_RATE)).isEqualTo(0.01);
    assertThat(signals.value(GateRule.Metric.FALLBACK_RATE)).isEqualTo(0.02);
    assertThat(signals.value(GateRule.Metric.SENSOR_FAULT_RATE)).isEqualTo(0.03);
    assertThat(signals.value(GateRule.Metric.INFERENCE_LATENCY_P95_MS)).isEqualTo(10.0);
    assertThat(signals.value(GateRule.Metric.SELF_TEST_FAILURES)).isEqualTo(1);
    assertThat(signals.value(GateRule.Metric.DOWNTIME_SECONDS)).isEqualTo(2.0);
    assertThat(CohortSignals.empty().value(GateRule.Metric.ALARM_RATE)).isZero();
  }

  @Test
  void alarmRateCountsAlarmEpisodesAndAlarmSampleRateTheStepsInAlarm() {
    // the canary raised as many alarms as the baseline, but each lasted twenty steps
    CohortSignals canary = new CohortSignals(4, 4000, 200, 0, 0, List.of(), 0, 0, 10, 0, 0, 0);
    CohortSignals baseline = new CohortSignals(16, 16000, 40, 0, 0, List.of(), 0, 0, 40, 0, 0, 0);

    GateVerdict episodes =
        GateEvaluator.judge(gates(2, ratio(GateRule.Metric.ALARM_RATE, 1.5)), canary, baseline);
    GateVerdict samples =
        GateEvaluator.judge(
            gates(2, ratio(GateRule.Metric.ALARM_SAMPLE_RATE, 1.5)), canary, baseline);

    assertThat(episodes.outcome()).isEqualTo(GateVerdict.Outcome.PASSED);
    assertThat(episodes.rules().get(0).updated()).isEqualTo(10 / 4001.0);
    assertThat(samples.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(samples.message()).startsWith("alarmSampleRate 0.04999 >");
  }

  @Test
  void aCanaryThatGoesToSafeStateFailsASafeStateGateAndItsOtherActionsAreJudgedApart() {
    CohortSignals canary = new CohortSignals(4, 4000, 0, 30, 0, List.of(), 0, 0, 0, 25, 5, 0);
    CohortSignals baseline = new CohortSignals(16, 16000, 0, 0, 0, List.of(), 0, 0);
    GatesSpec spec =
        gates(
            2,
            max(GateRule.Metric.SAFE_STATE_RATE, 0.001),
            max(GateRule.Metric.SUPPRESS_RATE, 0.01),
            max(GateRule.Metric.HOLD_LAST_RATE, 0.001));

    GateVerdict verdict = GateEvaluator.judge(spec, canary, baseline);

    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(verdict.message()).isEqualTo("safeStateRate 0.006248 > 0.001000");
    assertThat(verdict.rules())
        .extracting(GateVerdict.RuleResult::metric, GateVerdict.RuleResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                GateRule.Metric.SAFE_STATE_RATE, GateVerdict.Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple(
                GateRule.Metric.SUPPRESS_RATE, GateVerdict.Outcome.PASSED),
            org.assertj.core.groups.Tuple.tuple(
                GateRule.Metric.HOLD_LAST_RATE, GateVerdict.Outcome.PASSED));
  }
}
