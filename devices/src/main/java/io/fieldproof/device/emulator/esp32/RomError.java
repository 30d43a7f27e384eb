package io.fieldproof.device.emulator.esp32;

/** The error byte of a failed ROM loader reply (its status byte is then 1). */
enum RomError {
  /** The message is not one the loader understands: unknown command, wrong length. */
  INVALID_MESSAGE(0x05),
  /** A valid message that cannot be acted on now: out of range, wrong sequence, no download. */
  FAILED_TO_ACT(0x06),
  /** The data block does not match its 0xEF XOR checksum. */
  BAD_CHECKSUM(0x07),
  /** The flash could not be written. */
  FLASH_WRITE(0x08),
  /** The flash could not be read (outside the chip). */
  FLASH_READ(0x09),
  /** A read asked for more than one reply can carry. */
  READ_LENGTH(0x0A),
  /** The compressed stream is broken or inflates past the announced size. */
  DEFLATE(0x0B);

  private final int code;

  RomError(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }
}
