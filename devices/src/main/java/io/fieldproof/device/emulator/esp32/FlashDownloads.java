package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;

/**
 * The download commands: FLASH_BEGIN / FLASH_DATA and FLASH_DEFL_BEGIN / FLASH_DEFL_DATA, and the
 * FLASH_END / FLASH_DEFL_END that leave the loader. A begin erases the sectors it covers up front,
 * as the ROM does, and replaces any download in progress. Erasing and programming are charged to
 * the chip's {@link FlashClock}; the ROM replies only once the chip is ready.
 */
final class FlashDownloads implements AutoCloseable {

  static final int MAX_BLOCK = 0x4000;

  private final EmulatedFlash flash;
  private final FlashAttachment attachment;
  private final FlashClock clock;
  private FlashDownload plain;
  private DeflateDownload deflate;

  FlashDownloads(EmulatedFlash flash, FlashAttachment attachment, FlashClock clock) {
    this.flash = flash;
    this.attachment = attachment;
    this.clock = clock;
  }

  RomReply begin(RomCommand command) throws RomCommandException {
    Announced announced = announced(command);
    FlashRange.require(
        flash,
        announced.offset,
        (long) announced.blocks * announced.blockSize,
        RomError.FAILED_TO_ACT);
    FlashRange.eraseCovering(flash, clock, announced.offset, announced.size);
    close();
    plain =
        new FlashDownload(flash, clock, announced.offset, announced.blocks, announced.blockSize);
    return RomReply.ok(command.op());
  }

  RomReply beginDeflate(RomCommand command) throws RomCommandException {
    Announced announced = announced(command);
    FlashRange.eraseCovering(flash, clock, announced.offset, announced.size);
    close();
    deflate =
        new DeflateDownload(
            flash, clock, announced.offset, announced.size, announced.blocks, announced.blockSize);
    return RomReply.ok(command.op());
  }

  RomReply data(RomCommand command) throws RomCommandException {
    if (plain == null) {
      throw new RomCommandException(RomError.NOT_DOWNLOADING, "FLASH_DATA without FLASH_BEGIN");
    }
    plain.write(DataBlock.of(command));
    return RomReply.ok(command.op());
  }

  RomReply deflateData(RomCommand command) throws RomCommandException {
    if (deflate == null) {
      throw new RomCommandException(
          RomError.NOT_DOWNLOADING, "FLASH_DEFL_DATA without FLASH_DEFL_BEGIN");
    }
    deflate.write(DataBlock.of(command));
    return RomReply.ok(command.op());
  }

  /** FLASH_END or FLASH_DEFL_END: the reply; the loader then runs the application (leaves). */
  RomReply end(RomCommand command) throws RomCommandException {
    command.words(1);
    close();
    return RomReply.ok(command.op());
  }

  @Override
  public void close() {
    if (deflate != null) {
      deflate.close();
    }
    deflate = null;
    plain = null;
  }

  private Announced announced(RomCommand command) throws RomCommandException {
    attachment.requireAttached();
    int[] words = command.words(4);
    Announced announced = new Announced(words[0], words[1], words[2], words[3]);
    if (announced.blockSize <= 0 || announced.blockSize > MAX_BLOCK || announced.blocks < 0) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT,
          "%d blocks of %d bytes".formatted(announced.blocks, announced.blockSize));
    }
    FlashRange.requireSectorStart(flash, announced.offset);
    FlashRange.require(flash, announced.offset, announced.size, RomError.FAILED_TO_ACT);
    return announced;
  }

  /** What a begin command announces: bytes to erase (and write), blocks, block size, offset. */
  private record Announced(int size, int blocks, int blockSize, int offset) {}
}
