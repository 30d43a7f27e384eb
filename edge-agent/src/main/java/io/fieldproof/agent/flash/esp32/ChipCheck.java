package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;

/**
 * Tells an ESP32 from other Espressif chips by the word its ROM keeps at 0x40001000. A mismatch is
 * read twice before it counts: the address travels without a checksum.
 */
final class ChipCheck {

  static final int MAGIC_ADDRESS = 0x40001000;
  static final int ESP32_MAGIC = 0x00F01D83;

  private ChipCheck() {}

  static void requireEsp32(RomChannel channel) throws FlashException {
    int magic = channel.call(RomRequest.readReg(MAGIC_ADDRESS)).value();
    if (magic != ESP32_MAGIC) {
      magic = channel.call(RomRequest.readReg(MAGIC_ADDRESS)).value();
    }
    if (magic != ESP32_MAGIC) {
      throw new FlashException(
          FlashFailure.WRONG_CHIP,
          "chip magic 0x%08x on %s is not an ESP32's 0x%08x"
              .formatted(magic, channel.line(), ESP32_MAGIC));
    }
  }
}
