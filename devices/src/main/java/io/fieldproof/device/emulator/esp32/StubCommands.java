package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;
import io.fieldproof.device.emulator.flash.FlashTimings;

/**
 * The commands of esptool's flasher stub once it runs in the chip's RAM, emulated (no Xtensa code
 * runs): SYNC with value 0, register access, SPI_ATTACH (4 or 8 bytes) and SPI_SET_PARAMS,
 * CHANGE_BAUDRATE, FLASH_BEGIN / FLASH_DEFL_BEGIN with the exact size, data blocks up to 16 KiB
 * acknowledged before they are written (the write runs while the next block comes in, and its
 * error, if any, answers the next command), FLASH_END / FLASH_DEFL_END once every byte arrived,
 * SPI_FLASH_MD5 as 16 raw bytes, ERASE_FLASH, ERASE_REGION, READ_FLASH and RUN_USER_CODE. Replies
 * carry the stub's two status bytes. Fed from one thread.
 */
final class StubCommands implements AutoCloseable {

  /** What the loader does after a stub command. */
  enum After {
    /** Stay in the stub. */
    STAY,
    /** The stub reset the chip: the ROM loader runs again and waits for SYNC. */
    REBOOT_TO_ROM,
    /** The stub ran the application: nothing answers on this line any more. */
    LEAVE
  }

  private final EmulatedFlash flash;
  private final FlashClock clock;
  private final ChipRegisters registers;
  private final ReplyChannel replies;
  private final FlashReads reads;
  private StubDownload download;
  private StubFlashRead reading;
  private RomCommandException pending;

  StubCommands(
      EmulatedFlash flash, FlashClock clock, ChipRegisters registers, ReplyChannel replies) {
    this.flash = flash;
    this.clock = clock;
    this.registers = registers;
    this.replies = replies;
    this.reads = FlashReads.attached(flash);
  }

  /** Whether a READ_FLASH is streaming: frames from the host are its acknowledgements. */
  boolean reading() {
    return reading != null && !reading.finished();
  }

  /** A frame from the host during a READ_FLASH. */
  void readAcknowledged(byte[] frame) {
    reading.received(frame);
  }

  After answer(RomCommand command) throws RomCommandException {
    if (pending != null) {
      RomCommandException failed = pending;
      pending = null;
      throw failed;
    }
    RomOp op =
        RomOp.of(command.op())
            .orElseThrow(
                () -> new RomCommandException(RomError.UNKNOWN_COMMAND, "unknown command"));
    switch (op) {
      case SYNC -> replies.sendFramed(SyncReplies.answer(command, 0, true));
      case READ_REG ->
          replies.send(RomReply.value(command.op(), registers.read(command.words(1)[0])));
      case WRITE_REG -> replies.send(writeRegisters(command));
      case SPI_ATTACH -> replies.send(attach(command));
      case SPI_SET_PARAMS -> {
        command.words(6);
        replies.send(RomReply.ok(command.op()));
      }
      case CHANGE_BAUDRATE -> changeBaud(command);
      case FLASH_BEGIN, FLASH_DEFL_BEGIN -> begin(command, op == RomOp.FLASH_DEFL_BEGIN);
      case FLASH_DATA, FLASH_DEFL_DATA -> data(command);
      case FLASH_END -> {
        return end(command, true);
      }
      case FLASH_DEFL_END -> {
        return end(command, false);
      }
      case SPI_FLASH_MD5 -> replies.send(reads.rawMd5(command));
      case ERASE_FLASH -> eraseFlash(command);
      case ERASE_REGION -> eraseRegion(command);
      case READ_FLASH -> readFlash(command);
      case RUN_USER_CODE -> {
        return After.LEAVE;
      }
      default ->
          throw new RomCommandException(
              RomError.UNKNOWN_COMMAND, op + " is not a command of the flasher stub");
    }
    return After.STAY;
  }

  private RomReply writeRegisters(RomCommand command) throws RomCommandException {
    int[] words = command.quadruples();
    for (int i = 0; i < words.length; i += 4) {
      registers.write(words[i], words[i + 1], words[i + 2]);
    }
    return RomReply.ok(command.op());
  }

  /** The stub attached the flash when it started; attaching again changes nothing here. */
  private static RomReply attach(RomCommand command) throws RomCommandException {
    command.words(command.data().length == 8 ? 2 : 1);
    return RomReply.ok(command.op());
  }

  /** {@code new, old}: replies at the old speed, then switches. */
  private void changeBaud(RomCommand command) throws RomCommandException {
    int baud = command.words(2)[0];
    if (baud <= 0) {
      throw new RomCommandException(RomError.FAILED_TO_ACT, "no such baud rate: " + baud);
    }
    replies.send(RomReply.ok(command.op()));
    replies.changeBaud(baud);
  }

  private void begin(RomCommand command, boolean compressed) throws RomCommandException {
    StubDownload next = StubDownload.begin(flash, clock, command, compressed);
    closeDownload();
    download = next;
    replies.send(RomReply.ok(command.op()));
  }

  /** Acknowledges a block first, then writes it; a failed write answers the next command. */
  private void data(RomCommand command) throws RomCommandException {
    if (download == null) {
      throw new RomCommandException(RomError.NOT_DOWNLOADING, "data without a begin");
    }
    DataBlock block = DataBlock.of(command);
    boolean apply = download.admit(block);
    replies.send(RomReply.ok(command.op()));
    if (apply) {
      try {
        download.apply(block);
      } catch (RomCommandException e) {
        pending = e;
      }
    }
  }

  /**
   * FLASH_END or FLASH_DEFL_END, once every announced byte was written. FLASH_END with 0 ("reboot")
   * resets the chip, which comes back into its ROM loader, as esptool's {@code --after no-reset}
   * expects of the stub.
   */
  private After end(RomCommand command, boolean plain) throws RomCommandException {
    int flag = command.words(1)[0];
    if (download == null) {
      throw new RomCommandException(RomError.NOT_DOWNLOADING, "end without a begin");
    }
    if (!download.complete()) {
      throw new RomCommandException(RomError.INVALID_MESSAGE, "not every announced byte came");
    }
    closeDownload();
    replies.send(RomReply.ok(command.op()));
    return plain && flag == 0 ? After.REBOOT_TO_ROM : After.STAY;
  }

  private void eraseFlash(RomCommand command) throws RomCommandException {
    command.words(0);
    flash.erase(0, flash.size());
    clock.erasingChip();
    replies.send(RomReply.ok(command.op()));
  }

  private void eraseRegion(RomCommand command) throws RomCommandException {
    int[] words = command.words(2);
    int offset = words[0];
    int length = words[1];
    if (offset % FlashTimings.SECTOR != 0 || length % FlashTimings.SECTOR != 0) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "erase 0x%x+0x%x is not sector aligned".formatted(offset, length));
    }
    FlashRange.require(flash, offset, Integer.toUnsignedLong(length), RomError.FAILED_TO_ACT);
    flash.erase(offset, length);
    clock.erasing(Integer.toUnsignedLong(offset), Integer.toUnsignedLong(length));
    replies.send(RomReply.ok(command.op()));
  }

  private void readFlash(RomCommand command) throws RomCommandException {
    StubFlashRead read = StubFlashRead.of(flash, replies, command);
    replies.send(RomReply.ok(command.op()));
    reading = read;
    read.start();
  }

  private void closeDownload() {
    if (download != null) {
      download.close();
    }
    download = null;
  }

  @Override
  public void close() {
    closeDownload();
  }
}
