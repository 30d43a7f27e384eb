package io.fieldproof.protocol.signing;

import io.fieldproof.protocol.DropReason;

/**
 * Why an agent refused a desired state, as the reason of the event it raises and of the report's
 * {@code configError}.
 */
public record Refusal(Reason reason, String message) {

  /** What failed; {@link #code()} is the reason's name in events. */
  public enum Reason {
    /** The desired state carries no signature. */
    UNSIGNED("DesiredUnsigned", DropReason.UNSIGNED),
    /** Signed by a key the agent does not trust (not, or no longer, configured). */
    UNKNOWN_KEY("SignatureUnknownKey", DropReason.UNKNOWN_KEY),
    /**
     * The signature does not verify over the state as received, for this namespace and device:
     * forged, altered, or replayed from another device's or namespace's topic.
     */
    INVALID("SignatureInvalid", DropReason.BAD_SIGNATURE),
    /**
     * Signed before the newest state this agent accepted for the device: an older state replayed,
     * for example one of a group the device has left.
     */
    STALE("DesiredStale", DropReason.STALE),
    /** The state names another device than the topic it arrived on. */
    MISMATCH("DesiredMismatch", DropReason.IDENTITY_MISMATCH);

    private final String code;
    private final DropReason dropReason;

    Reason(String code, DropReason dropReason) {
      this.code = code;
      this.dropReason = dropReason;
    }

    /** The label the receiver's drop counter counts it under. */
    public DropReason dropReason() {
      return dropReason;
    }

    public String code() {
      return code;
    }
  }

  @Override
  public String toString() {
    return reason.code() + ": " + message;
  }
}
