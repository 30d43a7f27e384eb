package io.fieldproof.agent.flash.esp32;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * An image cut into the ROM loader's 0x400-byte blocks: plain (FLASH_BEGIN / FLASH_DATA, the last
 * block padded with 0xFF) or as one zlib stream at level 9 (FLASH_DEFL_BEGIN / FLASH_DEFL_DATA, the
 * last block short). Knows how many flash bytes each block writes, for progress and deadlines.
 */
final class FlashImage {

  private final boolean compressed;
  private final int size;
  private final byte[] stream;
  private final int[] writtenAfter;

  private FlashImage(boolean compressed, int size, byte[] stream, int[] writtenAfter) {
    this.compressed = compressed;
    this.size = size;
    this.stream = stream;
    this.writtenAfter = writtenAfter;
  }

  /** The shorter of compressed and plain, as esptool chooses. */
  static FlashImage smallest(byte[] data) {
    byte[] deflated = deflate(data);
    return deflated.length < data.length ? compressed(data.length, deflated) : plain(data);
  }

  static FlashImage plain(byte[] data) {
    int blocks = blocks(data.length);
    int[] written = new int[blocks];
    for (int i = 0; i < blocks; i++) {
      written[i] = Math.min(data.length, (i + 1) * RomRequest.BLOCK);
    }
    return new FlashImage(false, data.length, data.clone(), written);
  }

  boolean compressed() {
    return compressed;
  }

  /** Image bytes, before compression. */
  int size() {
    return size;
  }

  int blockCount() {
    return writtenAfter.length;
  }

  /** The bytes FLASH_BEGIN erases; the ROM takes whole blocks for a compressed image. */
  int eraseSize() {
    return compressed ? blocks(size) * RomRequest.BLOCK : size;
  }

  /** Image bytes on flash once blocks {@code 0..index} are written. */
  int writtenAfter(int index) {
    return writtenAfter[index];
  }

  /** Flash bytes block {@code index} writes. */
  int writtenBy(int index) {
    return writtenAfter[index] - (index == 0 ? 0 : writtenAfter[index - 1]);
  }

  /** Block {@code index} as sent: plain blocks padded to 0x400 with 0xFF. */
  byte[] block(int index) {
    int from = index * RomRequest.BLOCK;
    int to = Math.min(stream.length, from + RomRequest.BLOCK);
    byte[] block = Arrays.copyOfRange(stream, from, compressed ? to : from + RomRequest.BLOCK);
    if (!compressed) {
      Arrays.fill(block, to - from, block.length, (byte) 0xFF);
    }
    return block;
  }

  private static FlashImage compressed(int size, byte[] stream) {
    int blocks = blocks(stream.length);
    int[] written = new int[blocks];
    Inflater inflater = new Inflater();
    try {
      byte[] sink = new byte[64 * 1024];
      long total = 0;
      for (int i = 0; i < blocks; i++) {
        int from = i * RomRequest.BLOCK;
        inflater.setInput(stream, from, Math.min(RomRequest.BLOCK, stream.length - from));
        while (!inflater.needsInput() && !inflater.finished()) {
          total += inflater.inflate(sink);
        }
        written[i] = (int) total;
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("the stream just deflated does not inflate", e);
    } finally {
      inflater.end();
    }
    return new FlashImage(true, size, stream, written);
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static int blocks(int bytes) {
    return (bytes + RomRequest.BLOCK - 1) / RomRequest.BLOCK;
  }
}
