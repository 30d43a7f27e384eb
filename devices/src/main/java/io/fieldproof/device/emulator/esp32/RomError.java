package io.fieldproof.device.emulator.esp32;

/**
 * Why a command failed. The ROM loader sends status 1 and the ROM's error byte; the flasher stub
 * sends its own code (0xC0 and up, from esptool's stub_flasher.h) as the first status byte.
 */
enum RomError {
  /** The message is not one the loader understands: wrong length, malformed. */
  INVALID_MESSAGE(0x05, 0xC0),
  /** A command the loader does not have. */
  UNKNOWN_COMMAND(0x05, 0xC3),
  /** A valid message that cannot be acted on now: out of range, wrong sequence. */
  FAILED_TO_ACT(0x06, 0xC4),
  /** A data or end command without the begin it belongs to. */
  NOT_DOWNLOADING(0x06, 0xC6),
  /** The data block does not match its 0xEF XOR checksum. */
  BAD_CHECKSUM(0x07, 0xC1),
  /** The flash could not be written. */
  FLASH_WRITE(0x08, 0xC4),
  /** The flash could not be read (outside the chip). */
  FLASH_READ(0x09, 0xC4),
  /** A read asked for more than one reply can carry. */
  READ_LENGTH(0x0A, 0xC0),
  /** The compressed stream is broken or inflates past the announced size. */
  DEFLATE(0x0B, 0xC7);

  private final int code;
  private final int stubCode;

  RomError(int code, int stubCode) {
    this.code = code;
    this.stubCode = stubCode;
  }

  /** The ROM's error byte. */
  int code() {
    return code;
  }

  /** The flasher stub's error code. */
  int stubCode() {
    return stubCode;
  }
}
