package io.fieldproof.agent.flash;

/** A bootloader operation failed, with its reason code. */
public final class FlashException extends Exception {

  private static final long serialVersionUID = 1L;

  private final FlashFailure failure;

  public FlashException(FlashFailure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public FlashException(FlashFailure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public FlashFailure failure() {
    return failure;
  }

  /** Whether trying again may help. */
  public boolean isTransient() {
    return failure.isTransient();
  }
}
