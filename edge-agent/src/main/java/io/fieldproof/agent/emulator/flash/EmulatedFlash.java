package io.fieldproof.agent.emulator.flash;

import java.util.Arrays;

/**
 * NOR flash as the chips have it: erased bytes read 0xFF, erase works on whole sectors, and a write
 * can only clear bits (new = old AND data), so writing over unerased data corrupts it. A power cut
 * can be injected after the N-th byte written from now.
 */
public final class EmulatedFlash {

  private final byte[] cells;
  private final int sectorSize;
  private long bytesWritten;
  private long cutAfter = -1;

  public EmulatedFlash(int size, int sectorSize) {
    if (size % sectorSize != 0) {
      throw new IllegalArgumentException("size must be a whole number of sectors");
    }
    this.cells = new byte[size];
    this.sectorSize = sectorSize;
    Arrays.fill(cells, (byte) 0xFF);
  }

  public int size() {
    return cells.length;
  }

  public int sectorSize() {
    return sectorSize;
  }

  /** Erases whole sectors to 0xFF; offset and length must be sector aligned. */
  public void erase(int offset, int length) {
    if (offset % sectorSize != 0 || length % sectorSize != 0) {
      throw new IllegalArgumentException(
          "erase must be sector aligned (sector " + sectorSize + " bytes)");
    }
    check(offset, length);
    Arrays.fill(cells, offset, offset + length, (byte) 0xFF);
  }

  /** Programs bytes: each bit can only go from 1 to 0. Stops at an injected power cut. */
  public void write(int offset, byte[] data, int from, int length) {
    check(offset, length);
    for (int i = 0; i < length; i++) {
      if (cutAfter >= 0 && bytesWritten >= cutAfter) {
        long at = bytesWritten;
        cutAfter = -1;
        throw new PowerLossException(at);
      }
      cells[offset + i] &= data[from + i];
      bytesWritten++;
    }
  }

  public byte[] read(int offset, int length) {
    check(offset, length);
    return Arrays.copyOfRange(cells, offset, offset + length);
  }

  /** The power goes after {@code bytes} more bytes are written. */
  public void cutPowerAfter(long bytes) {
    cutAfter = bytesWritten + bytes;
  }

  private void check(int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > cells.length) {
      throw new IllegalArgumentException("outside the flash: " + offset + "+" + length);
    }
  }
}
