package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import io.fieldproof.operator.status.ConditionsBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Builds a ModelRollout's status and owns its conditions: Validated, Progressing, Complete, Failed
 * and, once rolled back, RollbackComplete, so that {@code kubectl wait --for=condition=Complete}
 * (or Failed) ends when the rollout does. The same inputs give the same status, so an unchanged
 * rollout is not written.
 */
public final class ModelRolloutStatusAggregator {

  public static final String VALIDATED = "Validated";
  public static final String PROGRESSING = "Progressing";
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String ROLLBACK_COMPLETE = Returns.CONDITION;

  /** Pauses that wait for a person to go on: still reconciling, as kstatus sees it. */
  private static final Set<String> WAITING_PAUSES =
      Set.of("ManualPause", "GatesInconclusive", "NoRevertibleDevices");

  /** Reasons a rollout stopped for: stalled, as kstatus sees it. */
  private static final Set<String> STOPPED =
      Set.of("GateFailed", "CrashLoop", "Aborted", "AbortedByUser");

  /** The status of a rollout not validated (yet): Pending, or Failed for good. */
  public ModelRolloutStatus unvalidated(
      ModelRollout rollout,
      Verdict verdict,
      RolloutDeviceCounts devices,
      List<DeviceFailure> incompatible,
      Instant now) {
    ModelRolloutStatus status = base(rollout, verdict);
    status.currentStep = 0;
    status.devices = devices;
    status.gates = List.of();
    status.failures = List.copyOf(incompatible);
    boolean invalid = verdict.outcome() == Verdict.Outcome.INVALID;
    status.phase = invalid ? Phase.FAILED : Phase.PENDING;
    status.message =
        invalid ? "validation failed: " + verdict.message() : "waiting: " + verdict.message();
    ConditionsBuilder conditions = conditions(rollout, now);
    conditions.set(VALIDATED, false, verdict.reason(), verdict.message());
    conditions.set(
        PROGRESSING,
        false,
        invalid ? "ValidationFailed" : "AwaitingValidation",
        invalid ? "nothing is flashed: " + verdict.message() : verdict.message());
    conditions.set(
        COMPLETE,
        false,
        invalid ? "ValidationFailed" : "NotStarted",
        "0 of " + devices.targeted + " devices updated");
    conditions.set(
        FAILED,
        invalid,
        invalid ? verdict.reason() : "NoFailure",
        invalid ? verdict.message() : "no failure");
    kstatus(conditions, !invalid, invalid, verdict.reason(), status.message);
    status.conditions = conditions.build();
    return status;
  }

  /** The status of a validated rollout after a pass of the engine. */
  public ModelRolloutStatus progressed(
      ModelRollout rollout, Verdict verdict, RolloutEngine.Outcome outcome, Instant now) {
    RolloutDecision decision = outcome.decision();
    ModelRolloutStatus status = base(rollout, verdict);
    status.phase = decision.phase();
    status.currentStep = decision.step();
    status.stepStartedAt = decision.stepStartedAt().truncatedTo(ChronoUnit.SECONDS).toString();
    status.devices = outcome.devices();
    status.gates = outcome.gates();
    status.failures = outcome.failures();
    status.notReturned = outcome.notReturned().isEmpty() ? null : outcome.notReturned();
    status.waiting = outcome.waiting().isEmpty() ? null : outcome.waiting();
    status.maintenanceWindow = outcome.window();
    status.message = decision.message();
    ConditionsBuilder conditions = conditions(rollout, now);
    conditions.set(VALIDATED, true, verdict.reason(), verdict.message());
    Phase phase = decision.phase();
    conditions.set(PROGRESSING, phase == Phase.PROGRESSING, decision.reason(), decision.message());
    conditions.set(
        COMPLETE,
        phase == Phase.SUCCEEDED,
        phase == Phase.SUCCEEDED ? "Succeeded" : decision.reason(),
        outcome.devices().updated + " of " + outcome.devices().targeted + " devices updated");
    boolean failed = phase == Phase.ROLLED_BACK;
    conditions.set(
        FAILED,
        failed,
        failed ? decision.reason() : "NoFailure",
        failed ? decision.message() : "no failure");
    if (failed) {
      rollback(conditions, outcome.returns());
    }
    boolean stalled = failed || phase == Phase.PAUSED && STOPPED.contains(decision.reason());
    boolean reconciling =
        phase == Phase.PENDING
            || phase == Phase.PROGRESSING
            || phase == Phase.PAUSED && WAITING_PAUSES.contains(decision.reason());
    kstatus(conditions, reconciling, stalled, decision.reason(), decision.message());
    status.conditions = conditions.build();
    return status;
  }

  /**
   * RollbackComplete, on a rolled back rollout only: True once every device sent back runs its
   * previous model again, False while any does not (still being tried, given up on, or with no
   * model to return to), Unknown once a newer rollout owns the devices.
   */
  private static void rollback(ConditionsBuilder conditions, Returns returns) {
    if (!returns.rollingBack()) {
      conditions.set(
          ROLLBACK_COMPLETE,
          ConditionsBuilder.UNKNOWN,
          "Superseded",
          "a newer rollout owns the group's devices");
      return;
    }
    conditions.set(ROLLBACK_COMPLETE, returns.complete(), returns.reason(), returns.message());
  }

  /**
   * Reconciling and Stalled, the abnormal-true pair kstatus (Flux, kpt) reads: InProgress while the
   * rollout goes on or waits for a person, Failed once it stopped on a failure.
   */
  private static void kstatus(
      ConditionsBuilder conditions,
      boolean reconciling,
      boolean stalled,
      String reason,
      String message) {
    conditions.set(
        RECONCILING,
        reconciling,
        reconciling ? reason : "NotReconciling",
        reconciling ? message : "nothing in progress");
    conditions.set(
        STALLED, stalled, stalled ? reason : "NotStalled", stalled ? message : "not stalled");
  }

  private static ModelRolloutStatus base(ModelRollout rollout, Verdict verdict) {
    ModelRolloutStatus status = new ModelRolloutStatus();
    status.observedGeneration = rollout.getMetadata().getGeneration();
    status.model = verdict.model();
    return status;
  }

  private static ConditionsBuilder conditions(ModelRollout rollout, Instant now) {
    ModelRolloutStatus previous = rollout.getStatus();
    return new ConditionsBuilder(
        previous == null ? null : previous.conditions, rollout.getMetadata().getGeneration(), now);
  }
}
