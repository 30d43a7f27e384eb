package io.fieldproof.device.emulator.esp32;

/** A command the loader refuses; it answers with status 1 and this error. */
final class RomCommandException extends Exception {

  private static final long serialVersionUID = 1L;

  private final RomError error;

  RomCommandException(RomError error, String message) {
    super(message);
    this.error = error;
  }

  RomError error() {
    return error;
  }
}
