package io.fieldproof.device.protocol;

/** A frame body is not the JSON its message type requires. */
public final class MalformedBodyException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedBodyException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedBodyException(String message) {
    super(message);
  }
}
