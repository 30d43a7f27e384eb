package io.fieldproof.protocol;

/** A received message that breaks the contract; it is dropped, counted and logged. */
public final class InvalidMessageException extends Exception {

  private final DropReason reason;

  public InvalidMessageException(DropReason reason, String detail) {
    super(reason.label() + ": " + detail);
    this.reason = reason;
  }

  public DropReason reason() {
    return reason;
  }
}
