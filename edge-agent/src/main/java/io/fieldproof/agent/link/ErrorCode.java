package io.fieldproof.agent.link;

import java.util.Optional;

/** The error codes a device puts in the body of an error response (flags bit 1). */
public enum ErrorCode {
  /** The device does not know the request type. */
  UNKNOWN_TYPE(1),
  /** The body is not the JSON the request type requires. */
  MALFORMED_BODY(2),
  /** CONFIG carried a configuration the runtime cannot apply; the previous one stays. */
  INVALID_CONFIG(3),
  /** The device cannot serve the request now; the host may retry later. */
  BUSY(4),
  /** The request type is known but not implemented by this runtime. */
  NOT_SUPPORTED(5);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** The integer in the error body. */
  public int code() {
    return code;
  }

  /** The error with {@code code}, if any. */
  public static Optional<ErrorCode> fromCode(int code) {
    for (ErrorCode error : values()) {
      if (error.code == code) {
        return Optional.of(error);
      }
    }
    return Optional.empty();
  }
}
