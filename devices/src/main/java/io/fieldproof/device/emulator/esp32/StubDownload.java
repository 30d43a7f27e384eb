package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;
import io.fieldproof.device.emulator.flash.FlashTimings;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A download as the flasher stub runs it (FLASH_BEGIN or FLASH_DEFL_BEGIN, then data blocks): the
 * begin announces the exact number of bytes to write; the stub erases lazily, one sector (or a
 * whole 64 KiB block where one fits) ahead of the data, and writes each block after it has
 * acknowledged it. Compressed blocks are consecutive pieces of one zlib stream. Owns a native
 * {@link Inflater} when compressed: {@link #close} it.
 */
final class StubDownload implements AutoCloseable {

  private static final int CHUNK = 4096;

  private final EmulatedFlash flash;
  private final FlashClock clock;
  private final int blockSize;
  private final BlockSequence sequence;
  private final Inflater inflater;
  private final byte[] chunk = new byte[CHUNK];
  private final long eraseEnd;
  private long position;
  private long remaining;
  private long erasedTo;

  private StubDownload(
      EmulatedFlash flash,
      FlashClock clock,
      long offset,
      long size,
      int blocks,
      int blockSize,
      boolean compressed) {
    this.flash = flash;
    this.clock = clock;
    this.blockSize = blockSize;
    this.sequence = new BlockSequence(blocks);
    this.inflater = compressed ? new Inflater() : null;
    this.position = offset;
    this.remaining = size;
    this.erasedTo = Math.floorDiv(offset, FlashTimings.SECTOR) * FlashTimings.SECTOR;
    this.eraseEnd =
        Math.floorDiv(offset + size + FlashTimings.SECTOR - 1, FlashTimings.SECTOR)
            * FlashTimings.SECTOR;
  }

  /** FLASH_BEGIN or FLASH_DEFL_BEGIN: {@code size, blocks, blockSize, offset[, encrypted]}. */
  static StubDownload begin(
      EmulatedFlash flash, FlashClock clock, RomCommand command, boolean compressed)
      throws RomCommandException {
    int[] words = command.words(command.data().length == 20 ? 5 : 4);
    long size = Integer.toUnsignedLong(words[0]);
    int blocks = words[1];
    int blockSize = words[2];
    long offset = Integer.toUnsignedLong(words[3]);
    if (words.length == 5 && words[4] != 0) {
      throw new RomCommandException(RomError.FAILED_TO_ACT, "encrypted writes are not emulated");
    }
    if (blocks < 0 || blockSize < 0 || blockSize > FlashDownloads.MAX_BLOCK) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE, "%d blocks of %d bytes".formatted(blocks, blockSize));
    }
    long end =
        Math.floorDiv(offset + size + FlashTimings.SECTOR - 1, FlashTimings.SECTOR)
            * FlashTimings.SECTOR;
    if (size > 0 && end > flash.size()) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT,
          "0x%x+0x%x lies outside the %d-byte flash".formatted(offset, size, flash.size()));
    }
    return new StubDownload(flash, clock, offset, size, blocks, blockSize, compressed);
  }

  /** Checks a block before the stub acknowledges it: whether to apply it after the reply. */
  boolean admit(DataBlock block) throws RomCommandException {
    if (block.bytes().length > blockSize) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "block of %d bytes, blocks are at most %d".formatted(block.bytes().length, blockSize));
    }
    return sequence.admit(block) == BlockSequence.Verdict.NEXT;
  }

  /** Writes an admitted block (after the stub acknowledged it). */
  void apply(DataBlock block) throws RomCommandException {
    sequence.accepted(block);
    if (inflater == null) {
      int length = (int) Math.min(block.bytes().length, remaining);
      write(block.bytes(), length);
    } else {
      inflate(block.bytes());
    }
  }

  /** Whether every announced byte has been written. */
  boolean complete() {
    return remaining == 0;
  }

  private void inflate(byte[] bytes) throws RomCommandException {
    inflater.setInput(bytes);
    try {
      while (!inflater.finished() && !inflater.needsInput()) {
        int count = inflater.inflate(chunk);
        if (count == 0 && !inflater.finished() && !inflater.needsInput()) {
          throw new DataFormatException("the stream asks for a preset dictionary");
        }
        if (count > remaining) {
          throw new RomCommandException(
              RomError.DEFLATE, "the stream inflates past the announced size");
        }
        write(chunk, count);
      }
    } catch (DataFormatException e) {
      throw new RomCommandException(RomError.DEFLATE, "bad compressed data: " + e.getMessage());
    }
  }

  private void write(byte[] bytes, int length) {
    if (length == 0) {
      return;
    }
    eraseUpTo(position + length);
    flash.write((int) position, bytes, 0, length);
    clock.programming(position, length);
    position += length;
    remaining -= length;
  }

  private void eraseUpTo(long target) {
    while (erasedTo < target && erasedTo < eraseEnd) {
      int unit = FlashTimings.nextEraseUnit(erasedTo, eraseEnd);
      flash.erase((int) erasedTo, unit);
      clock.erasingUnit(unit);
      erasedTo += unit;
    }
  }

  @Override
  public void close() {
    if (inflater != null) {
      inflater.end();
    }
  }
}
