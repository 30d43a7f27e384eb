package io.fieldproof.operator.rollout.progress;

import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import java.time.Instant;

/**
 * What the stepper decided for a rollout on this pass.
 *
 * @param phase the rollout's phase
 * @param step the 1-based step it is on (past the last step once Succeeded)
 * @param stepStartedAt when that step began
 * @param action what to do with the devices
 * @param percent the percent of targeted devices that should run the model
 * @param reason a condition reason: why the rollout is in this phase
 * @param message one line on what it is doing
 */
public record RolloutDecision(
    Phase phase,
    int step,
    Instant stepStartedAt,
    Action action,
    int percent,
    String reason,
    String message) {

  /** This decision with {@code newMessage}; itself when the message is the same. */
  public RolloutDecision withMessage(String newMessage) {
    return newMessage.equals(message)
        ? this
        : new RolloutDecision(phase, step, stepStartedAt, action, percent, reason, newMessage);
  }

  /** What happens to the devices. */
  public enum Action {
    /** Assign the model to the cohort of {@code percent}, within the concurrency limit. */
    ASSIGN,
    /** Assign nothing new; devices already told go on. */
    HOLD,
    /** Return every device told to run the model to the model it ran before. */
    ROLL_BACK,
    /** Leave the devices alone: another rollout owns them. */
    NONE
  }
}
