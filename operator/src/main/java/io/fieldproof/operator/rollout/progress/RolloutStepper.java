package io.fieldproof.operator.rollout.progress;

import io.fabric8.kubernetes.api.model.Condition;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.operator.rollout.plan.StepPlan;
import io.fieldproof.operator.rollout.progress.RolloutDecision.Action;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The rollout state machine. From the previous status (phase, step, when the step began), the spec
 * (steps, paused, rollback policy), the devices' progress and the gates' verdict, it decides the
 * phase, the step and what to do with the devices. It walks through as many steps as are already
 * done in one pass, and keeps everything it needs in status, so an operator restarted midway goes
 * on from where the last one stopped.
 */
public final class RolloutStepper {

  /** The annotation that passes a manual pause (or inconclusive gates) at the step it names. */
  public static final String PROMOTE_ANNOTATION = "fieldproof.io/promote";

  /**
   * The annotation that aborts a running rollout ({@code "true"}): devices go back as for a failed
   * gate, or the rollout pauses when spec.rollback is pause.
   */
  public static final String ABORT_ANNOTATION = "fieldproof.io/abort";

  /** The condition that carries why a finished rollout ended as it did. */
  public static final String OUTCOME_CONDITION = "Failed";

  /**
   * What the stepper looks at.
   *
   * @param rollout the rollout, with its previous status
   * @param plan its steps
   * @param cohort the progress of the cohort a percent covers
   * @param gates the gates' verdict now
   * @param failedDevices devices failed with retries spent
   * @param maxFailedDevices failed devices tolerated before the rollout aborts
   * @param supersededBy the newer rollout of the group that took over, or null
   * @param now the time of this pass
   */
  public record Situation(
      ModelRollout rollout,
      StepPlan plan,
      IntFunction<CohortProgress> cohort,
      GateCheck gates,
      int failedDevices,
      int maxFailedDevices,
      String supersededBy,
      Instant now) {}

  private RolloutStepper() {}

  public static RolloutDecision decide(Situation s) {
    ModelRolloutStatus previous = s.rollout().getStatus();
    Phase was = previous == null ? null : previous.phase;
    int step = previous == null || previous.currentStep == null ? 0 : previous.currentStep;
    Instant started = startedAt(previous, s.now());
    if (was == Phase.SUCCEEDED || was == Phase.ROLLED_BACK || was == Phase.SUPERSEDED) {
      return finished(s, was, step, started, previous);
    }
    if (s.supersededBy() != null) {
      return new RolloutDecision(
          Phase.SUPERSEDED,
          step,
          started,
          Action.NONE,
          0,
          "Superseded",
          "superseded by ModelRollout "
              + s.supersededBy()
              + ", which now owns the group's devices");
    }
    if (aborted(s.rollout())) {
      return stop(
          s, step, started, "AbortedByUser", "aborted by the " + ABORT_ANNOTATION + " annotation");
    }
    if (s.failedDevices() > s.maxFailedDevices()) {
      return stop(
          s,
          step,
          started,
          "Aborted",
          s.failedDevices()
              + " devices failed with their retries spent, more than the "
              + s.maxFailedDevices()
              + " abort.maxFailedDevices allows");
    }
    if (s.gates().failed()) {
      return stop(
          s,
          step,
          started,
          s.gates().crashLoop() ? "CrashLoop" : "GateFailed",
          "gate failed: " + s.gates().verdict().message());
    }
    if (step == 0 && s.cohort().apply(100).size() == 0) {
      return new RolloutDecision(
          Phase.PENDING,
          0,
          started,
          Action.HOLD,
          0,
          "NoMembers",
          "the group has no member device the model fits; the rollout starts when one joins");
    }
    if (step == 0) {
      step = 1;
      started = s.now();
    }
    return walk(s, step, started);
  }

  /** Goes through the steps that are done, up to the first that is not. */
  private static RolloutDecision walk(Situation s, int step, Instant started) {
    StepPlan plan = s.plan();
    while (step <= plan.size()) {
      int index = step - 1;
      int percent = plan.percentAt(index);
      if (Boolean.TRUE.equals(s.rollout().getSpec().paused)) {
        return new RolloutDecision(
            Phase.PAUSED,
            step,
            started,
            Action.HOLD,
            percent,
            "SpecPaused",
            plan.describe(index) + ": paused by spec.paused; set it to false to resume");
      }
      RolloutDecision waiting = waitingAt(s, step, started, percent);
      if (waiting != null) {
        return waiting;
      }
      step++;
      started = s.now();
    }
    return new RolloutDecision(
        Phase.SUCCEEDED,
        plan.size(),
        started,
        Action.ASSIGN,
        plan.percentAt(plan.size() - 1),
        "Succeeded",
        "every step done: " + describe(s.cohort().apply(plan.percentAt(plan.size() - 1))));
  }

  /** Why the rollout stays at {@code step}, or null when the step is done. */
  private static RolloutDecision waitingAt(Situation s, int step, Instant started, int percent) {
    StepPlan plan = s.plan();
    int index = step - 1;
    String name = plan.describe(index);
    if (plan.isManualPause(index) && !promoted(s.rollout(), step)) {
      return new RolloutDecision(
          Phase.PAUSED,
          step,
          started,
          Action.ASSIGN,
          percent,
          "ManualPause",
          name
              + ": waiting to be promoted (kubectl annotate modelrollout "
              + s.rollout().getMetadata().getName()
              + " "
              + PROMOTE_ANNOTATION
              + "="
              + step
              + " --overwrite)");
    }
    if (plan.isPause(index) && !plan.isManualPause(index)) {
      Instant until = started.plus(plan.pauseDuration(index)).truncatedTo(ChronoUnit.SECONDS);
      if (s.now().isBefore(until)) {
        return progressing(step, started, percent, "Soaking", name + ": soaking until " + until);
      }
    }
    if (!plan.isPause(index)) {
      CohortProgress cohort = s.cohort().apply(percent);
      if (!cohort.complete()) {
        return progressing(step, started, percent, "Updating", name + ": " + describe(cohort));
      }
      if (cohort.size() == 0 && cohort.cannotRevertLeft() > 0 && !promoted(s.rollout(), step)) {
        return new RolloutDecision(
            Phase.PAUSED,
            step,
            started,
            Action.ASSIGN,
            percent,
            "NoRevertibleDevices",
            name
                + ": no device can return to a previous model, so none can be a canary ("
                + cohort.cannotRevertLeft()
                + " left for the 100 % step); promote the step to go on");
      }
    }
    if (s.gates().passed() || promoted(s.rollout(), step)) {
      return null;
    }
    if (s.gates().tooFewUpdated()) {
      return new RolloutDecision(
          Phase.PAUSED,
          step,
          started,
          Action.ASSIGN,
          percent,
          "GatesInconclusive",
          name
              + ": gates inconclusive, "
              + s.gates().verdict().message()
              + "; promote the step to go on");
    }
    return progressing(
        step,
        started,
        percent,
        "AwaitingSignals",
        name + ": waiting for updated devices to report: " + s.gates().verdict().message());
  }

  /** A failed gate or an abort: roll back, or pause when spec.rollback says so. */
  private static RolloutDecision stop(
      Situation s, int step, Instant started, String reason, String message) {
    boolean automatic = s.rollout().getSpec().rollback != ModelRolloutSpec.RollbackPolicy.PAUSE;
    return automatic
        ? new RolloutDecision(
            Phase.ROLLED_BACK,
            step,
            started,
            Action.ROLL_BACK,
            0,
            reason,
            message + "; devices return to their previous model")
        : new RolloutDecision(
            Phase.PAUSED,
            step,
            started,
            Action.HOLD,
            s.plan().percentAt(Math.max(0, step - 1)),
            reason,
            message + "; paused for a decision (spec.rollback: pause)");
  }

  /** A finished rollout keeps its outcome: it only looks after its devices. */
  private static RolloutDecision finished(
      Situation s, Phase was, int step, Instant started, ModelRolloutStatus previous) {
    Condition outcome = condition(previous, OUTCOME_CONDITION);
    return switch (was) {
      case SUCCEEDED ->
          s.supersededBy() == null
              ? new RolloutDecision(
                  Phase.SUCCEEDED,
                  step,
                  started,
                  Action.ASSIGN,
                  s.plan().percentAt(s.plan().size() - 1),
                  "Succeeded",
                  "every step done: "
                      + describe(s.cohort().apply(s.plan().percentAt(s.plan().size() - 1))))
              : new RolloutDecision(
                  Phase.SUCCEEDED,
                  step,
                  started,
                  Action.NONE,
                  0,
                  "Succeeded",
                  "succeeded; ModelRollout " + s.supersededBy() + " now owns the group's devices");
      case ROLLED_BACK ->
          new RolloutDecision(
              Phase.ROLLED_BACK,
              step,
              started,
              s.supersededBy() == null ? Action.ROLL_BACK : Action.NONE,
              0,
              outcome == null ? "RolledBack" : outcome.getReason(),
              previous.message);
      default ->
          new RolloutDecision(
              Phase.SUPERSEDED, step, started, Action.NONE, 0, "Superseded", previous.message);
    };
  }

  private static RolloutDecision progressing(
      int step, Instant started, int percent, String reason, String message) {
    return new RolloutDecision(
        Phase.PROGRESSING, step, started, Action.ASSIGN, percent, reason, message);
  }

  private static String describe(CohortProgress cohort) {
    StringBuilder out =
        new StringBuilder(
            cohort.updated() + "/" + cohort.size() + " devices of the cohort updated");
    if (cohort.failed() > 0) {
      out.append(", ").append(cohort.failed()).append(" failed");
    }
    if (cohort.offlineWaiting() > 0) {
      out.append(", waiting for ").append(cohort.offlineWaiting()).append(" offline");
    }
    if (cohort.offlineSkipped() > 0) {
      out.append(", ").append(cohort.offlineSkipped()).append(" offline skipped");
    }
    if (cohort.cannotRevertLeft() > 0) {
      out.append(", ")
          .append(cohort.cannotRevertLeft())
          .append(" that cannot return to a previous model left for the 100 % step");
    }
    return out.toString();
  }

  private static boolean aborted(ModelRollout rollout) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations();
    return annotations != null && "true".equals(annotations.get(ABORT_ANNOTATION));
  }

  private static boolean promoted(ModelRollout rollout, int step) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations();
    return annotations != null && String.valueOf(step).equals(annotations.get(PROMOTE_ANNOTATION));
  }

  private static Instant startedAt(ModelRolloutStatus previous, Instant now) {
    if (previous == null || previous.stepStartedAt == null) {
      return now;
    }
    try {
      return Instant.parse(previous.stepStartedAt);
    } catch (java.time.format.DateTimeParseException e) {
      return now;
    }
  }

  private static Condition condition(ModelRolloutStatus status, String type) {
    if (status == null || status.conditions == null) {
      return null;
    }
    return status.conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
