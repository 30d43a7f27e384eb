package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;

/** Range checks of flash commands, on the unsigned 32-bit values the host sent. */
final class FlashRange {

  private FlashRange() {}

  /** Refuses {@code [offset, offset + length)} unless it lies within the flash. */
  static void require(EmulatedFlash flash, int offset, long length, RomError error)
      throws RomCommandException {
    long start = Integer.toUnsignedLong(offset);
    if (length < 0 || start + length > flash.size()) {
      throw new RomCommandException(
          error, "0x%x+0x%x lies outside the %d-byte flash".formatted(start, length, flash.size()));
    }
  }

  /** Refuses an offset that does not start an erase sector. */
  static void requireSectorStart(EmulatedFlash flash, int offset) throws RomCommandException {
    if (offset < 0 || offset >= flash.size() || !flash.sectors().isSectorStart(offset)) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT, "0x%x does not start a flash sector".formatted(offset));
    }
  }

  /**
   * Erases every sector that holds a byte of {@code [offset, offset + length)}, charging the chip
   * the time that takes.
   */
  static void eraseCovering(EmulatedFlash flash, FlashClock clock, int offset, int length) {
    for (int sector : flash.sectors().covering(offset, length)) {
      flash.eraseSector(sector);
    }
    clock.erasing(Integer.toUnsignedLong(offset), length);
  }
}
