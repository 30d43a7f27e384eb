package io.fieldproof.agent.update;

/**
 * How an update ended.
 *
 * @param phase {@link UpdatePhase#Confirmed}, {@link UpdatePhase#Reverted} or {@link
 *     UpdatePhase#Failed}
 * @param reason why it did not confirm, null when it did
 * @param message what happened, for people
 * @param attempts how many times the write path ran (a slot switch counts as one)
 * @param path {@code in-app} or {@code bootloader}, the path of the last attempt, or {@code
 *     slot-switch} / {@code bootloader-slot-switch} when the device went back to the model its
 *     other slot held, without a download; null if none ran
 */
public record UpdateResult(
    UpdatePhase phase, UpdateReason reason, String message, int attempts, String path) {

  public boolean confirmed() {
    return phase == UpdatePhase.Confirmed;
  }

  /** {@code Reason: message}, or null when confirmed. */
  public String lastError() {
    return reason == null ? null : reason + ": " + message;
  }
}
