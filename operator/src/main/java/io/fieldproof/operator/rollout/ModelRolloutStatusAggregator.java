package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.status.ConditionsBuilder;
import java.time.Instant;
import java.util.List;

/**
 * Builds a ModelRollout's status from the validation verdict and the targeted devices, and owns its
 * conditions: Validated, Progressing, Complete and Failed. The same inputs give the same status.
 */
public final class ModelRolloutStatusAggregator {

  public static final String VALIDATED = "Validated";
  public static final String PROGRESSING = "Progressing";
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";

  /**
   * @param incompatible the members the model does not fit, as listed (bounded); their count is in
   *     {@code devices.incompatible}
   */
  public ModelRolloutStatus aggregate(
      ModelRollout rollout,
      Verdict verdict,
      RolloutDeviceCounts devices,
      List<DeviceFailure> incompatible,
      Instant now) {
    ModelRolloutStatus previous = rollout.getStatus();
    long generation = rollout.getMetadata().getGeneration();
    ModelRolloutStatus status = new ModelRolloutStatus();
    status.observedGeneration = generation;
    status.currentStep = 0;
    status.model = verdict.model();
    status.devices = devices;
    status.gates = List.of();
    status.failures = List.copyOf(incompatible);
    boolean invalid = verdict.outcome() == Verdict.Outcome.INVALID;
    boolean valid = verdict.outcome() == Verdict.Outcome.VALID;
    status.phase = invalid ? Phase.FAILED : Phase.PENDING;
    status.message = message(verdict, devices);

    ConditionsBuilder conditions =
        new ConditionsBuilder(previous == null ? null : previous.conditions, generation, now);
    conditions.set(VALIDATED, valid, verdict.reason(), verdict.message());
    conditions.set(
        PROGRESSING,
        false,
        invalid ? "ValidationFailed" : valid ? "NoMembers" : "AwaitingValidation",
        invalid
            ? "nothing is flashed: " + verdict.message()
            : valid
                ? (devices.targeted == 0
                    ? "the group has no member device to update"
                    : devices.targeted
                        + " devices targeted; progressive steps are not part of this build yet")
                : verdict.message());
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
    status.conditions = conditions.build();
    return status;
  }

  private static String message(Verdict verdict, RolloutDeviceCounts devices) {
    return switch (verdict.outcome()) {
      case INVALID -> "validation failed: " + verdict.message();
      case WAITING -> "waiting: " + verdict.message();
      case VALID ->
          "validated; "
              + devices.targeted
              + " devices targeted"
              + (devices.incompatible == 0
                  ? ""
                  : ", " + devices.incompatible + " incompatible (never flashed)");
    };
  }
}
