package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A compressed download (FLASH_DEFL_BEGIN, FLASH_DEFL_DATA...): the blocks are consecutive pieces
 * of one zlib stream, inflated as they come and written from {@code offset} on, never past the
 * announced size. A broken stream fails this block and every later one. Owns a native {@link
 * Inflater}: {@link #close} it.
 */
final class DeflateDownload implements AutoCloseable {

  private static final int CHUNK = 4096;

  private final EmulatedFlash flash;
  private final FlashClock clock;
  private final int end;
  private final int blockSize;
  private final BlockSequence sequence;
  private final Inflater inflater = new Inflater();
  private final byte[] chunk = new byte[CHUNK];
  private int position;
  private boolean broken;

  DeflateDownload(
      EmulatedFlash flash, FlashClock clock, int offset, int size, int blocks, int blockSize) {
    this.flash = flash;
    this.clock = clock;
    this.position = offset;
    this.end = offset + size;
    this.blockSize = blockSize;
    this.sequence = new BlockSequence(blocks);
  }

  void write(DataBlock block) throws RomCommandException {
    if (block.bytes().length > blockSize) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "block of %d bytes, blocks are at most %d".formatted(block.bytes().length, blockSize));
    }
    if (sequence.admit(block) == BlockSequence.Verdict.RESENT) {
      return;
    }
    if (broken) {
      throw new RomCommandException(RomError.DEFLATE, "the compressed stream broke earlier");
    }
    inflate(block.bytes());
    sequence.accepted(block);
  }

  private void inflate(byte[] bytes) throws RomCommandException {
    inflater.setInput(bytes);
    try {
      while (!inflater.finished() && !inflater.needsInput()) {
        int count = inflater.inflate(chunk);
        if (count == 0 && !inflater.finished() && !inflater.needsInput()) {
          throw new DataFormatException("the stream asks for a preset dictionary");
        }
        writeInflated(count);
      }
    } catch (DataFormatException e) {
      broken = true;
      throw new RomCommandException(RomError.DEFLATE, "bad compressed data: " + e.getMessage());
    }
  }

  private void writeInflated(int count) throws RomCommandException {
    if (position + count > end) {
      broken = true;
      throw new RomCommandException(
          RomError.DEFLATE, "the stream inflates past the %d announced bytes".formatted(end));
    }
    flash.write(position, chunk, 0, count);
    clock.programming(position, count);
    position += count;
  }

  @Override
  public void close() {
    inflater.end();
  }
}
