package io.fieldproof.device.emulator;

/** A CONFIG request whose configuration the emulated runtime refuses (error INVALID_CONFIG). */
final class InvalidConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  InvalidConfigException(String message) {
    super(message);
  }
}
