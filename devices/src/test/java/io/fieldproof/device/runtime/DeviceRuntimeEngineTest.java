package io.fieldproof.device.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.RuntimeConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceRuntimeEngineTest {

  private static final RuntimeConfig.Input ACCEL =
      new RuntimeConfig.Input(
          "accel_rms", "g", 0.0, 16.0, 4.0, 5, new RuntimeConfig.Normalize("zscore", 0.5, 0.25));
  private static final RuntimeConfig.Input TEMP =
      new RuntimeConfig.Input(
          "temperature_c",
          "C",
          -40.0,
          125.0,
          null,
          null,
          new RuntimeConfig.Normalize("minmax", -40, 125));
  private static final RuntimeConfig.Rule OVERTEMP =
      new RuntimeConfig.Rule(
          "overtemp",
          "always",
          List.of(new RuntimeConfig.Condition("temperature_c", ">", 85)),
          "alarm");
  private static final RuntimeConfig.Rule SAFE_WHEN_BLIND =
      new RuntimeConfig.Rule(
          "blind",
          "inputs-invalid",
          List.of(new RuntimeConfig.Condition("temperature_c", ">", 60)),
          "safe-state");

  /** The score is the first normalized input: deterministic, no I/O. */
  private static final class FirstFeature implements ModelRunner {
    @Override
    public int features() {
      return 2;
    }

    @Override
    public double score(double[] normalized, int output) {
      return normalized[0];
    }

    @Override
    public long lastCycles() {
      return 240_000;
    }
  }

  private DeviceRuntimeEngine engine(String mode, int minConsecutive, RuntimeConfig.Rule... rules) {
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(ACCEL, TEMP),
            new RuntimeConfig.Decision(0, 2.0, minConsecutive),
            new RuntimeConfig.Fallback(mode, List.of(rules)),
            new RuntimeConfig.Drift(10, 3.0),
            30);
    DeviceRuntimeEngine engine = new DeviceRuntimeEngine(config, 10, 240);
    engine.activate(new FirstFeature());
    return engine;
  }

  private static Map<String, Double> reading(Double accel, Double temp) {
    Map<String, Double> raw = new HashMap<>();
    raw.put("accel_rms", accel);
    raw.put("temperature_c", temp);
    return raw;
  }

  @Test
  void theModelDecidesWithThresholdAndDebounce() {
    DeviceRuntimeEngine engine = engine("rules", 3);
    assertThat(engine.step(reading(1.2, 20.0)).outcome()).isEqualTo(Decision.Outcome.NORMAL);
    assertThat(engine.step(reading(1.2, 20.0)).outcome()).isEqualTo(Decision.Outcome.NORMAL);
    Decision third = engine.step(reading(1.2, 20.0));
    assertThat(third.outcome()).isEqualTo(Decision.Outcome.ALARM);
    assertThat(third.source()).isEqualTo(Decision.Source.MODEL);
    assertThat(engine.health().counters())
        .containsEntry("inferences", 3L)
        .containsEntry("alarms", 1L)
        .containsEntry("latencyP95Us", 1000L);
  }

  @Test
  void theFirstInferenceTimeIsTheP95() {
    DeviceRuntimeEngine engine = engine("rules", 1);
    engine.step(reading(1.2, 20.0));
    assertThat(engine.health().counters())
        .containsEntry("inferences", 1L)
        .containsEntry("inferenceCycles", 240_000L)
        .containsEntry("latencyP95Us", 1000L);
  }

  @Test
  void aRuleWithoutWhenNeverAppliesAndOneWithoutActionGoesToSafeState() {
    RuntimeConfig.Rule noWhen = new RuntimeConfig.Rule("no-when", null, List.of(), "alarm");
    RuntimeConfig.Rule noOp =
        new RuntimeConfig.Rule(
            "no-op",
            "always",
            List.of(new RuntimeConfig.Condition("temperature_c", null, 0)),
            "alarm");
    RuntimeConfig.Rule noAction = new RuntimeConfig.Rule("no-action", "always", List.of(), null);
    DeviceRuntimeEngine engine = engine("rules", 1, noWhen, noOp, noAction);
    assertThat(engine.step(reading(0.5, 20.0)))
        .isEqualTo(new Decision(Decision.Outcome.SAFE_STATE, Decision.Source.RULE, "no-action"));
  }

  @Test
  void anAlwaysRuleWinsOverTheModel() {
    DeviceRuntimeEngine engine = engine("rules", 1, OVERTEMP);
    Decision decision = engine.step(reading(0.5, 90.0));
    assertThat(decision.outcome()).isEqualTo(Decision.Outcome.ALARM);
    assertThat(decision.source()).isEqualTo(Decision.Source.RULE);
    assertThat(decision.rule()).isEqualTo("overtemp");
    assertThat(engine.health().counters())
        .containsEntry("fallbackActive", 1L)
        .containsEntry("fallbackActivations", 1L);
    engine.step(reading(0.5, 20.0));
    assertThat(engine.health().counters()).containsEntry("fallbackActive", 0L);
  }

  @Test
  void invalidInputsAreRejectedCountedAndNeverReachTheModel() {
    DeviceRuntimeEngine engine = engine("rules", 1, SAFE_WHEN_BLIND);
    assertThat(engine.step(reading(null, 70.0)))
        .isEqualTo(new Decision(Decision.Outcome.SAFE_STATE, Decision.Source.RULE, "blind"));
    engine.step(reading(20.0, 20.0));
    assertThat(engine.health().counters())
        .containsEntry("inferences", 0L)
        .containsEntry("sensorFault.dropout", 1L)
        .containsEntry("sensorFault.out_of_range", 1L)
        .containsEntry("faultActive.accel_rms:out_of_range", 1L);
    engine.step(reading(0.6, 20.0));
    assertThat(engine.health().counters())
        .doesNotContainKey("faultActive.accel_rms:out_of_range")
        .containsEntry("inferences", 1L);
  }

  @Test
  void aJumpIsRejectedButIsNoFaultAndAStuckSensorIs() {
    DeviceRuntimeEngine engine = engine("off", 1);
    engine.step(reading(0.5, 20.0));
    engine.step(reading(9.0, 20.0));
    assertThat(engine.health().counters())
        .containsEntry("rejected.unstable", 1L)
        .doesNotContainKey("sensorFault.unstable");
    for (int i = 0; i < 5; i++) {
      engine.step(reading(9.0, 20.0));
    }
    assertThat(engine.health().counters())
        .containsKey("faultActive.accel_rms:stuck")
        .containsEntry("sensorFault.stuck", 2L);
  }

  @Test
  void holdLastKeepsTheLastModelDecisionWhileBlind() {
    DeviceRuntimeEngine engine = engine("hold-last", 1);
    assertThat(engine.step(reading(1.5, 20.0)).outcome()).isEqualTo(Decision.Outcome.ALARM);
    Decision blind = engine.step(reading(null, 20.0));
    assertThat(blind)
        .isEqualTo(new Decision(Decision.Outcome.ALARM, Decision.Source.HOLD_LAST, null));
  }

  @Test
  void alarmsCountStepsInAlarmAndAlarmEpisodesTheirStarts() {
    DeviceRuntimeEngine engine = engine("rules", 1);
    engine.step(reading(1.5, 20.0));
    engine.step(reading(1.5, 20.0));
    engine.step(reading(1.5, 20.0));
    engine.step(reading(0.5, 20.0));
    engine.step(reading(1.5, 20.0));
    assertThat(engine.health().counters())
        .containsEntry("alarms", 4L)
        .containsEntry("alarmEpisodes", 2L);
  }

  @Test
  void holdLastKeepsTheAlarmEpisodeAndCountsAHoldActivation() {
    DeviceRuntimeEngine engine = engine("hold-last", 1);
    engine.step(reading(1.5, 20.0));
    engine.step(reading(null, 20.0));
    assertThat(engine.health().counters())
        .containsEntry("alarms", 2L)
        .containsEntry("alarmEpisodes", 1L)
        .containsEntry("fallbackActivations.hold-last", 1L)
        .containsEntry("fallbackAction.hold-last", 1L);
  }

  @Test
  void ruleActivationsAreCountedByActionAndTheActionDecidingIsShown() {
    RuntimeConfig.Rule quiet =
        new RuntimeConfig.Rule(
            "quiet",
            "always",
            List.of(new RuntimeConfig.Condition("temperature_c", "<", -10)),
            "suppress");
    DeviceRuntimeEngine engine = engine("rules", 1, SAFE_WHEN_BLIND, quiet, OVERTEMP);
    engine.step(reading(null, 70.0));
    assertThat(engine.health().counters())
        .containsEntry("fallbackActivations.safe-state", 1L)
        .containsEntry("fallbackAction.safe-state", 1L)
        .doesNotContainKey("fallbackActivations.suppress");
    engine.step(reading(0.5, -20.0));
    engine.step(reading(null, 70.0));
    engine.step(reading(0.5, 90.0));
    assertThat(engine.health().counters())
        .containsEntry("fallbackActivations", 1L)
        .containsEntry("fallbackActivations.safe-state", 2L)
        .containsEntry("fallbackActivations.suppress", 1L)
        .containsEntry("fallbackActivations.alarm", 1L)
        .containsEntry("fallbackAction.alarm", 1L)
        .doesNotContainKey("fallbackAction.safe-state");
    engine.step(reading(0.5, 20.0));
    assertThat(engine.health().counters())
        .doesNotContainKeys(
            "fallbackAction.alarm", "fallbackAction.safe-state", "fallbackAction.suppress")
        .containsEntry("fallbackActivations.safe-state", 2L);
  }

  @Test
  void aConditionBeyondTheValidRangeIsEvaluatedOnTheRawReading() {
    RuntimeConfig.Rule overRange =
        new RuntimeConfig.Rule(
            "over-range",
            "inputs-invalid",
            List.of(new RuntimeConfig.Condition("temperature_c", ">", 125)),
            "safe-state");
    DeviceRuntimeEngine engine = engine("rules", 1, overRange);
    assertThat(engine.step(reading(0.5, 150.0)))
        .isEqualTo(new Decision(Decision.Outcome.SAFE_STATE, Decision.Source.RULE, "over-range"));
    assertThat(engine.health().counters())
        .containsEntry("faultActive.temperature_c:out_of_range", 1L)
        .containsEntry("fallbackActivations.safe-state", 1L);
  }

  @Test
  void withoutAModelOnlyRulesDecide() {
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(ACCEL, TEMP),
            new RuntimeConfig.Decision(0, 2.0, 1),
            new RuntimeConfig.Fallback("rules", List.of(OVERTEMP)),
            null,
            30);
    DeviceRuntimeEngine engine = new DeviceRuntimeEngine(config, 10, 240);
    assertThat(engine.step(reading(5.0, 20.0)).source()).isEqualTo(Decision.Source.NONE);
    assertThat(engine.step(reading(5.0, 99.0)).source()).isEqualTo(Decision.Source.RULE);
    assertThatThrownBy(
            () ->
                engine.activate(
                    new ModelRunner() {
                      public int features() {
                        return 3;
                      }

                      public double score(double[] normalized, int output) {
                        return 0;
                      }

                      public long lastCycles() {
                        return 0;
                      }
                    }))
        .hasMessageContaining("takes 3 features but the group declares 2 inputs");
  }

  @Test
  void driftIsMeasuredAgainstTheTrainingReferenceAndReported() {
    DeviceRuntimeEngine engine = engine("off", 1000);
    // accel_rms: reference 0.5 +- 0.25 (its z-score); temperature_c: 42.5 +- 165/sqrt(12)
    for (int i = 0; i < 9; i++) {
      engine.step(reading(offset(i), 42.5));
    }
    assertThat(engine.health().counters())
        .doesNotContainKey("drifting.accel_rms")
        .containsEntry("driftMilliSigma.temperature_c", 0L);
    assertThat(engine.health().counters().get("driftMilliSigma.accel_rms")).isBetween(3800L, 4200L);
    engine.step(reading(offset(9), 42.5));
    assertThat(engine.health().counters())
        .containsEntry("drifting.accel_rms", 1L)
        .doesNotContainKey("drifting.temperature_c");
  }

  @Test
  void theReferenceSurvivesARestartSoAnOffsetDriftsAgainAtOnce() {
    DeviceRuntimeEngine before = engine("off", 1000);
    for (int i = 0; i < 10; i++) {
      before.step(reading(offset(i), 42.5));
    }
    assertThat(before.health().counters()).containsEntry("drifting.accel_rms", 1L);
    DeviceRuntimeEngine afterReboot = engine("off", 1000);
    for (int i = 0; i < 10; i++) {
      afterReboot.step(reading(offset(i), 42.5));
    }
    assertThat(afterReboot.health().counters()).containsEntry("drifting.accel_rms", 1L);
  }

  /** accel_rms about 4 reference deviations high (1.5 +- 0.05), never stuck. */
  private static double offset(int i) {
    return i % 2 == 0 ? 1.45 : 1.55;
  }

  @Test
  void anInputWithoutReferenceReportsNoDrift() {
    RuntimeConfig config =
        new RuntimeConfig(
            List.of(new RuntimeConfig.Input("raw", null, null, null, null, null, null)),
            new RuntimeConfig.Decision(0, 2.0, 1),
            new RuntimeConfig.Fallback("off", List.of()),
            new RuntimeConfig.Drift(10, 3.0, 1),
            30);
    DeviceRuntimeEngine engine = new DeviceRuntimeEngine(config, 10, 240);
    engine.step(Map.of("raw", 1e6));
    assertThat(engine.health().counters())
        .doesNotContainKey("drifting.raw")
        .doesNotContainKey("driftMilliSigma.raw");
  }
}
