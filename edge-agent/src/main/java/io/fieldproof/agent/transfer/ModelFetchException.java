package io.fieldproof.agent.transfer;

/** A model fetch failed, with its reason code; the fetch's future completes with it. */
public final class ModelFetchException extends Exception {

  private static final long serialVersionUID = 1L;

  private final FetchFailure failure;

  public ModelFetchException(FetchFailure failure, String message) {
    super(failure + ": " + message);
    this.failure = failure;
  }

  public ModelFetchException(FetchFailure failure, String message, Throwable cause) {
    super(failure + ": " + message, cause);
    this.failure = failure;
  }

  public FetchFailure failure() {
    return failure;
  }

  /** Whether trying again may help. */
  public boolean isTransient() {
    return failure.isTransient();
  }
}
