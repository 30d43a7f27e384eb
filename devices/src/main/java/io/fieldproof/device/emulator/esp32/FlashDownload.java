package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;

/**
 * An uncompressed download (FLASH_BEGIN, FLASH_DATA...): block {@code n} is written at {@code
 * offset + n * blockSize}. The erase happened when the download began; a block that lands on data
 * the erase did not cover ANDs with it, as NOR flash does.
 */
final class FlashDownload {

  private final EmulatedFlash flash;
  private final FlashClock clock;
  private final int offset;
  private final int blockSize;
  private final BlockSequence sequence;

  FlashDownload(EmulatedFlash flash, FlashClock clock, int offset, int blocks, int blockSize) {
    this.flash = flash;
    this.clock = clock;
    this.offset = offset;
    this.blockSize = blockSize;
    this.sequence = new BlockSequence(blocks);
  }

  void write(DataBlock block) throws RomCommandException {
    if (block.bytes().length != blockSize) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "block of %d bytes in a download of %d-byte blocks"
              .formatted(block.bytes().length, blockSize));
    }
    if (sequence.admit(block) == BlockSequence.Verdict.NEXT) {
      int address = offset + block.seq() * blockSize;
      flash.write(address, block.bytes(), 0, blockSize);
      clock.programming(address, blockSize);
      sequence.accepted(block);
    }
  }
}
