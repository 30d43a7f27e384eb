package io.fieldproof.device.protocol;

/**
 * The body of an error response.
 *
 * @param code an {@link ErrorCode} number
 * @param message a short human-readable reason
 */
public record ErrorBody(int code, String message) {

  /** The body for {@code error}. */
  public static ErrorBody of(ErrorCode error, String message) {
    return new ErrorBody(error.code(), message);
  }
}
