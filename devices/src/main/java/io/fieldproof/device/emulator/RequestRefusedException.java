package io.fieldproof.device.emulator;

import io.fieldproof.device.protocol.ErrorCode;

/** A request the emulated runtime answers with an error response. */
final class RequestRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  RequestRefusedException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
