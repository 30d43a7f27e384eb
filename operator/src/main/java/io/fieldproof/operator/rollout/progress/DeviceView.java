package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.devicegroup.Member;
import java.time.Instant;

/**
 * One targeted device as the rollout sees it now.
 *
 * @param member the group member
 * @param state where it stands
 * @param attempt the operator's attempt it is on (0 when never told to run the model)
 * @param reason for a failure, its machine-readable cause (the agent's reason or Timeout)
 * @param message for a failure, what went wrong
 * @param retryAt for a device retrying, when its next attempt is due
 * @param returnPath the model it would return to on a rollback, or why it cannot
 */
public record DeviceView(
    Member member,
    DeviceState state,
    int attempt,
    String reason,
    String message,
    Instant retryAt,
    ReturnPath returnPath) {

  static DeviceView of(Member member, DeviceState state, int attempt, ReturnPath returnPath) {
    return new DeviceView(member, state, attempt, null, null, null, returnPath);
  }

  public String id() {
    return member.id();
  }

  /** Whether the device was told to run the model and has not finished with it. */
  public boolean busy() {
    return state == DeviceState.IN_PROGRESS || state == DeviceState.RETRYING;
  }

  /** Whether it could return to a previous model if the rollout rolled back. */
  public boolean canRevert() {
    return returnPath != null && returnPath.possible();
  }
}
