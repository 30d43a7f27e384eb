package io.fieldproof.operator.rollout.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.PauseStep;
import io.fieldproof.api.v1alpha1.Step;
import io.fieldproof.api.v1alpha1.StrategySpec;
import io.fieldproof.operator.rollout.gates.GateVerdict;
import io.fieldproof.operator.rollout.plan.StepPlan;
import io.fieldproof.operator.rollout.progress.RolloutDecision.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class RolloutStepperTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final GateCheck PASSED =
      new GateCheck(new GateVerdict(GateVerdict.Outcome.PASSED, List.of(), "ok"), false);

  /** 10 devices; a percent's cohort is done up to {@code done} percent. */
  private static IntFunction<CohortProgress> doneUpTo(int done) {
    return percent -> {
      int size = (int) Math.ceil(10 * percent / 100.0);
      int updated = percent <= done ? size : Math.min(size, (int) Math.ceil(10 * done / 100.0));
      return new CohortProgress(size, updated, 0, 0, 0);
    };
  }

  @Test
  void aFreshRolloutStartsAtTheFirstStepAndAssignsItsCohort() {
    RolloutDecision decision = decide(rollout(null, steps(20, null, 100)), doneUpTo(0), PASSED);

    assertThat(decision.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(decision.step()).isEqualTo(1);
    assertThat(decision.action()).isEqualTo(Action.ASSIGN);
    assertThat(decision.percent()).isEqualTo(20);
    assertThat(decision.stepStartedAt()).isEqualTo(NOW);
    assertThat(decision.message()).contains("0/2 devices of the cohort updated");
  }

  @Test
  void aDoneStepLeadsToAManualPauseThatOnlyAPromoteOfThatStepPasses() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(20, null, 100));

    RolloutDecision paused = decide(rollout, doneUpTo(20), PASSED);
    assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
    assertThat(paused.step()).isEqualTo(2);
    assertThat(paused.percent()).isEqualTo(20);
    assertThat(paused.reason()).isEqualTo("ManualPause");

    rollout.getMetadata().setAnnotations(Map.of(RolloutStepper.PROMOTE_ANNOTATION, "3"));
    assertThat(decide(rollout, doneUpTo(20), PASSED).phase()).isEqualTo(Phase.PAUSED);

    rollout.getMetadata().setAnnotations(Map.of(RolloutStepper.PROMOTE_ANNOTATION, "2"));
    RolloutDecision promoted = decide(rollout, doneUpTo(20), PASSED);
    assertThat(promoted.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(promoted.step()).isEqualTo(3);
    assertThat(promoted.percent()).isEqualTo(100);
  }

  @Test
  void aTimedPauseSoaksForItsDuration() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 2), steps(20, "10m", 100));
    rollout.getStatus().stepStartedAt = NOW.minusSeconds(599).toString();
    assertThat(decide(rollout, doneUpTo(20), PASSED).reason()).isEqualTo("Soaking");

    rollout.getStatus().stepStartedAt = NOW.minusSeconds(600).toString();
    RolloutDecision after = decide(rollout, doneUpTo(20), PASSED);
    assertThat(after.step()).isEqualTo(3);
    assertThat(after.stepStartedAt()).isEqualTo(NOW);
  }

  @Test
  void everyStepDoneSucceedsAndStaysSucceeded() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 3), steps(20, "1m", 100));
    RolloutDecision done = decide(rollout, doneUpTo(100), PASSED);
    assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);

    rollout.setStatus(status(Phase.SUCCEEDED, 4));
    GateCheck failing =
        new GateCheck(new GateVerdict(GateVerdict.Outcome.FAILED, List.of(), "alarmRate"), false);
    assertThat(decide(rollout, doneUpTo(100), failing).phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void specPausedHoldsWithoutAssigning() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(50, null, 100));
    rollout.getSpec().paused = true;

    RolloutDecision decision = decide(rollout, doneUpTo(0), PASSED);

    assertThat(decision.phase()).isEqualTo(Phase.PAUSED);
    assertThat(decision.action()).isEqualTo(Action.HOLD);
    assertThat(decision.reason()).isEqualTo("SpecPaused");
  }

  @Test
  void aFailedGateRollsBackOrPausesAsTheSpecSays() {
    GateCheck failing =
        new GateCheck(
            new GateVerdict(GateVerdict.Outcome.FAILED, List.of(), "alarmRate 0.9 > 0.03"), false);
    ModelRollout rollout = rollout(status(Phase.PAUSED, 2), steps(20, null, 100));

    RolloutDecision back = decide(rollout, doneUpTo(20), failing);
    assertThat(back.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(back.action()).isEqualTo(Action.ROLL_BACK);
    assertThat(back.reason()).isEqualTo("GateFailed");
    assertThat(back.message()).contains("alarmRate 0.9 > 0.03");

    rollout.getSpec().rollback = ModelRolloutSpec.RollbackPolicy.PAUSE;
    RolloutDecision held = decide(rollout, doneUpTo(20), failing);
    assertThat(held.phase()).isEqualTo(Phase.PAUSED);
    assertThat(held.action()).isEqualTo(Action.HOLD);
  }

  @Test
  void theAbortAnnotationRollsARunningRolloutBack() {
    ModelRollout rollout = rollout(status(Phase.PAUSED, 2), steps(20, null, 100));
    rollout.getMetadata().setAnnotations(Map.of(RolloutStepper.ABORT_ANNOTATION, "true"));

    RolloutDecision decision = decide(rollout, doneUpTo(20), PASSED);

    assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(decision.reason()).isEqualTo("AbortedByUser");
    assertThat(decision.action()).isEqualTo(Action.ROLL_BACK);
  }

  @Test
  void moreFailedDevicesThanAllowedAbort() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(100));
    RolloutStepper.Situation within =
        new RolloutStepper.Situation(rollout, plan(rollout), doneUpTo(0), PASSED, 2, 2, null, NOW);
    assertThat(RolloutStepper.decide(within).phase()).isEqualTo(Phase.PROGRESSING);

    RolloutStepper.Situation over =
        new RolloutStepper.Situation(rollout, plan(rollout), doneUpTo(0), PASSED, 3, 2, null, NOW);
    RolloutDecision aborted = RolloutStepper.decide(over);
    assertThat(aborted.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(aborted.reason()).isEqualTo("Aborted");
  }

  @Test
  void tooFewUpdatedDevicesPauseButTooFewReportsOnlyWait() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(20, 100));
    GateVerdict inconclusive =
        new GateVerdict(GateVerdict.Outcome.INCONCLUSIVE, List.of(), "1 updated devices reported");

    RolloutDecision paused = decide(rollout, doneUpTo(20), new GateCheck(inconclusive, true));
    assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
    assertThat(paused.reason()).isEqualTo("GatesInconclusive");

    RolloutDecision waiting = decide(rollout, doneUpTo(20), new GateCheck(inconclusive, false));
    assertThat(waiting.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(waiting.reason()).isEqualTo("AwaitingSignals");
    assertThat(waiting.step()).isEqualTo(1);
  }

  @Test
  void aNewerRolloutSupersedesARunningOne() {
    ModelRollout rollout = rollout(status(Phase.PAUSED, 2), steps(20, null, 100));
    RolloutDecision decision =
        RolloutStepper.decide(
            new RolloutStepper.Situation(
                rollout, plan(rollout), doneUpTo(20), PASSED, 0, 0, "vib-1-5-0", NOW));

    assertThat(decision.phase()).isEqualTo(Phase.SUPERSEDED);
    assertThat(decision.action()).isEqualTo(Action.NONE);
    assertThat(decision.message()).contains("vib-1-5-0");
  }

  @Test
  void offlineDevicesHoldAStepUnlessSkipped() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(100));
    IntFunction<CohortProgress> waiting = p -> new CohortProgress(10, 9, 0, 1, 0);
    IntFunction<CohortProgress> skipped = p -> new CohortProgress(10, 9, 0, 0, 1);

    RolloutDecision held = decide(rollout, waiting, PASSED);
    assertThat(held.phase()).isEqualTo(Phase.PROGRESSING);
    assertThat(held.message()).contains("waiting for 1 offline");
    assertThat(decide(rollout, skipped, PASSED).phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void aCanaryStepThatFindsNoDeviceAbleToRevertPausesAndSaysSo() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(20, null, 100));
    IntFunction<CohortProgress> noneCanRevert =
        percent -> percent < 100 ? new CohortProgress(0, 0, 0, 0, 0, 2) : doneUpTo(0).apply(100);

    RolloutDecision paused = decide(rollout, noneCanRevert, PASSED);

    assertThat(paused.phase()).isEqualTo(Phase.PAUSED);
    assertThat(paused.step()).isEqualTo(1);
    assertThat(paused.reason()).isEqualTo("NoRevertibleDevices");
    assertThat(paused.message())
        .contains("no device can return to a previous model")
        .contains("2 left for the 100 % step");

    rollout.getMetadata().setAnnotations(Map.of(RolloutStepper.PROMOTE_ANNOTATION, "1"));
    assertThat(decide(rollout, noneCanRevert, PASSED).reason())
        .as("a promote lets the rollout go on without a canary")
        .isEqualTo("ManualPause");
  }

  @Test
  void aCanaryShortOfDevicesThatCanRevertSaysHowManyWaitFor100Percent() {
    ModelRollout rollout = rollout(status(Phase.PROGRESSING, 1), steps(50, null, 100));

    RolloutDecision updating = decide(rollout, p -> new CohortProgress(3, 1, 0, 0, 0, 2), PASSED);

    assertThat(updating.reason()).isEqualTo("Updating");
    assertThat(updating.message())
        .contains("1/3 devices of the cohort updated")
        .contains("2 that cannot return to a previous model left for the 100 % step");
  }

  @Test
  void aCrashLoopFailsTheRolloutWithItsOwnReason() {
    GateCheck crashLoop =
        new GateCheck(
            new GateVerdict(
                GateVerdict.Outcome.FAILED,
                List.of(
                    new GateVerdict.RuleResult(
                        io.fieldproof.api.v1alpha1.GateRule.Metric.REBOOTS,
                        4,
                        Double.NaN,
                        2,
                        GateVerdict.Outcome.FAILED)),
                "reboots 4 > 2: esp32-1 rebooted 4 times running the model (crash loop)"),
            false);

    RolloutDecision decision =
        decide(
            rollout(status(Phase.PROGRESSING, 1), steps(20, null, 100)), doneUpTo(20), crashLoop);

    assertThat(decision.phase()).isEqualTo(Phase.ROLLED_BACK);
    assertThat(decision.reason()).isEqualTo("CrashLoop");
    assertThat(decision.message()).contains("esp32-1 rebooted 4 times");
  }

  private static RolloutDecision decide(
      ModelRollout rollout, IntFunction<CohortProgress> cohort, GateCheck gates) {
    return RolloutStepper.decide(
        new RolloutStepper.Situation(rollout, plan(rollout), cohort, gates, 0, 0, null, NOW));
  }

  private static StepPlan plan(ModelRollout rollout) {
    return new StepPlan(rollout.getSpec().strategy);
  }

  /** Steps from values: a number is a setPercent, null a manual pause, a string a timed pause. */
  private static StrategySpec steps(Object... values) {
    StrategySpec strategy = new StrategySpec();
    strategy.steps =
        java.util.Arrays.stream(values)
            .map(
                v -> {
                  Step step = new Step();
                  if (v instanceof Integer percent) {
                    step.setPercent = percent;
                  } else {
                    step.pause = new PauseStep();
                    step.pause.duration = (String) v;
                  }
                  return step;
                })
            .toList();
    return strategy;
  }

  private static ModelRolloutStatus status(Phase phase, int step) {
    ModelRolloutStatus status = new ModelRolloutStatus();
    status.phase = phase;
    status.currentStep = step;
    status.stepStartedAt = NOW.minusSeconds(5).toString();
    return status;
  }

  private static ModelRollout rollout(ModelRolloutStatus status, StrategySpec strategy) {
    ModelRollout rollout = new ModelRollout();
    rollout.setMetadata(
        new ObjectMetaBuilder()
            .withName("vib")
            .withNamespace("plant-a")
            .withGeneration(1L)
            .build());
    rollout.setSpec(new ModelRolloutSpec());
    rollout.getSpec().deviceGroup = "pumps";
    rollout.getSpec().strategy = strategy;
    rollout.setStatus(status);
    return rollout;
  }
}
