package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import java.util.Arrays;

/**
 * The bus as the bootloader reaches it: the main flash at {@link Stm32Chip#FLASH_BASE}, the system
 * memory window (zeros but for the bootloader id byte, the unique id and the flash size register in
 * KiB) and the option bytes. Only the main flash can be written and erased.
 */
final class Stm32Memory {

  static final int UID_LENGTH = 12;

  private final Stm32Chip chip;
  private final EmulatedFlash flash;
  private final byte[] system;
  private final byte[] options;

  Stm32Memory(Stm32Chip chip, EmulatedFlash flash, byte[] uid) {
    if (flash.size() != chip.sectors().size()) {
      throw new IllegalArgumentException(
          "the flash holds " + flash.size() + " bytes, " + chip + " has " + chip.sectors().size());
    }
    if (uid.length != UID_LENGTH) {
      throw new IllegalArgumentException("the unique id has 96 bits, not " + uid.length * 8);
    }
    this.chip = chip;
    this.flash = flash;
    this.system = systemImage(chip, flash.size(), uid);
    this.options = chip.optionDefaults();
  }

  private static byte[] systemImage(Stm32Chip chip, int flashSize, byte[] uid) {
    byte[] image = new byte[(int) (chip.systemEnd() - chip.systemStart())];
    image[(int) (chip.bootloaderIdAddress() - chip.systemStart())] = (byte) chip.bootloaderId();
    System.arraycopy(uid, 0, image, (int) (chip.uidAddress() - chip.systemStart()), UID_LENGTH);
    int kib = flashSize / 1024;
    int size = (int) (chip.flashSizeAddress() - chip.systemStart());
    image[size] = (byte) kib;
    image[size + 1] = (byte) (kib >> 8);
    return image;
  }

  /** Whether {@code [address, address + length)} lies within one readable region. */
  boolean readable(long address, int length) {
    return inFlash(address, length)
        || within(address, length, chip.systemStart(), chip.systemEnd())
        || within(address, length, chip.optionStart(), chip.optionStart() + options.length);
  }

  /** Reads a range for which {@link #readable} holds. */
  byte[] read(long address, int length) {
    if (inFlash(address, length)) {
      return flash.read((int) (address - Stm32Chip.FLASH_BASE), length);
    }
    if (within(address, length, chip.systemStart(), chip.systemEnd())) {
      int from = (int) (address - chip.systemStart());
      return Arrays.copyOfRange(system, from, from + length);
    }
    int from = (int) (address - chip.optionStart());
    return Arrays.copyOfRange(options, from, from + length);
  }

  /** Whether {@code [address, address + length)} lies within the main flash. */
  boolean inFlash(long address, int length) {
    return within(address, length, Stm32Chip.FLASH_BASE, Stm32Chip.FLASH_BASE + flash.size());
  }

  /** Programs main flash (NOR: bits only clear); may stop at an injected power cut. */
  void program(long address, byte[] data) {
    flash.write((int) (address - Stm32Chip.FLASH_BASE), data, 0, data.length);
  }

  /** Erases one page (sector) of the main flash by its index. */
  void erasePage(int page) {
    flash.eraseSector(page);
  }

  int pageCount() {
    return chip.sectors().count();
  }

  /** Whether GO may jump there: main flash or SRAM. */
  boolean executable(long address) {
    return inFlash(address, 1) || within(address, 1, Stm32Chip.SRAM_BASE, chip.sramEnd());
  }

  private static boolean within(long address, int length, long start, long end) {
    return length > 0 && address >= start && address + length <= end;
  }
}
