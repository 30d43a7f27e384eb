package io.fieldproof.agent.update;

/** An update step failed, with its reason code. */
public final class UpdateException extends Exception {

  private static final long serialVersionUID = 1L;

  private final UpdateReason reason;

  public UpdateException(UpdateReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public UpdateException(UpdateReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public UpdateReason reason() {
    return reason;
  }

  /** {@code Reason: message}, the form the device twin's lastError carries. */
  public String describe() {
    return reason + ": " + getMessage();
  }
}
