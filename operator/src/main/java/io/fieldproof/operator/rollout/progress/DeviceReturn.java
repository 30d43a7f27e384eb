package io.fieldproof.operator.rollout.progress;

import io.fieldproof.operator.devicegroup.Member;
import java.time.Instant;

/**
 * One device a rollback sent back and that does not run the model it was sent back to yet.
 *
 * @param member the group member
 * @param stage where its return stands
 * @param attempt the operator's attempt it is on (the desired state's)
 * @param of attempts at most
 * @param model the model it is sent back to, as "name version"
 * @param reason for a failed attempt, its machine-readable cause (the agent's reason, Timeout or
 *     NotOnPreviousModel); null while none failed
 * @param message for a failed attempt, what went wrong
 * @param retryAt for a device retrying, when its next attempt is due
 */
public record DeviceReturn(
    Member member,
    Stage stage,
    int attempt,
    int of,
    String model,
    String reason,
    String message,
    Instant retryAt) {

  /** Where a device's way back stands. */
  public enum Stage {
    /** Told to switch back, no outcome yet. */
    SWITCHING,
    /** Its attempt failed; the next one is due at {@code retryAt}. */
    RETRYING,
    /** Offline: its switch back (or the next attempt, after a failure) waits until it answers. */
    AWAITS_DEVICE,
    /** Every attempt failed: the operator tries no more, the device keeps the rollout's model. */
    GAVE_UP
  }

  public String id() {
    return member.id();
  }

  /** Whether the next attempt is due now: it failed, is online and its backoff ran out. */
  public boolean due(Instant now) {
    return stage == Stage.RETRYING && !now.isBefore(retryAt);
  }

  /** Whether the operator still works on its return (it has not given up). */
  public boolean underWay() {
    return stage != Stage.GAVE_UP;
  }

  /** The reason status.notReturned gives. */
  public String statusReason() {
    return switch (stage) {
      case SWITCHING -> "Returning";
      case RETRYING -> "ReturnRetrying";
      case AWAITS_DEVICE -> "ReturnAwaitsDevice";
      case GAVE_UP -> "ReturnFailed";
    };
  }

  /**
   * What status.notReturned says of it, in one line that stays the same from pass to pass while
   * nothing changes on the device.
   */
  public String statusMessage() {
    String failed =
        reason == null
            ? null
            : "attempt " + attempt + " of " + of + " failed (" + reason + ": " + message + ")";
    return switch (stage) {
      case SWITCHING -> "switching back to " + model + ", attempt " + attempt + " of " + of;
      case RETRYING -> failed + "; tried again after a backoff";
      case AWAITS_DEVICE ->
          failed == null
              ? "offline; it switches back to " + model + " once it answers"
              : failed + "; tried again once it answers";
      case GAVE_UP ->
          "every attempt failed, the last ("
              + reason
              + ": "
              + message
              + "); it keeps the rolled back model";
    };
  }
}
