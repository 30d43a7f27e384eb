package io.fieldproof.device.protocol;

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
  NOT_SUPPORTED(5),
  /** A slot command named the running slot where the inactive one is required. */
  SLOT_ACTIVE(6),
  /** Offset or length outside the slot, or a write that skips bytes. */
  OUT_OF_RANGE(7),
  /** The slot does not hold the model the request describes (its digest differs). */
  DIGEST_MISMATCH(8),
  /** The model in the slot cannot be loaded or run (not int8 TFLite, does not fit). */
  MODEL_INVALID(9),
  /** The slot state does not allow the command (CONFIRM with nothing on trial, say). */
  WRONG_STATE(10),
  /** Flash could not be erased or programmed. */
  FLASH_ERROR(11);

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
