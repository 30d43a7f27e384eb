package io.fieldproof.model.tflite;

import java.util.Objects;

/** A model file was refused; {@link #reason()} says why in a form a status condition can carry. */
public final class ModelRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;

  /**
   * Creates the exception.
   *
   * @param reason the typed reason
   * @param message a sentence naming what was found, for a human
   */
  public ModelRejectedException(RejectionReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception for a failure that surfaced as another exception.
   *
   * @param reason the typed reason
   * @param message a sentence naming what was found, for a human
   * @param cause the underlying failure
   */
  public ModelRejectedException(RejectionReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The typed reason. */
  public RejectionReason reason() {
    return reason;
  }
}
