package io.fieldproof.agent.emulator.flash;

import io.fieldproof.agent.slots.SectorMap;
import java.util.Arrays;

/**
 * NOR flash as the chips have it: erased bytes read 0xFF, erase works on whole sectors, and a write
 * can only clear bits (new = old AND data), so writing over unerased data corrupts it. A power cut
 * can be injected after the N-th byte written from now.
 */
public final class EmulatedFlash {

  private final byte[] cells;
  private final SectorMap sectors;
  private long bytesWritten;
  private long cutAfter = -1;

  public EmulatedFlash(int size, int sectorSize) {
    this(SectorMap.uniform(size, sectorSize));
  }

  public EmulatedFlash(SectorMap sectors) {
    this.sectors = sectors;
    this.cells = new byte[sectors.size()];
    Arrays.fill(cells, (byte) 0xFF);
  }

  public int size() {
    return cells.length;
  }

  public SectorMap sectors() {
    return sectors;
  }

  /** Erases whole sectors to 0xFF; offset and offset + length must be sector boundaries. */
  public synchronized void erase(int offset, int length) {
    check(offset, length);
    if (!sectors.isSectorStart(offset) || !sectors.isSectorStart(offset + length)) {
      throw new IllegalArgumentException(
          "erase must be sector aligned: " + offset + "+" + length + " is not");
    }
    Arrays.fill(cells, offset, offset + length, (byte) 0xFF);
  }

  /** Erases one sector to 0xFF. */
  public synchronized void eraseSector(int sector) {
    int offset = sectors.offset(sector);
    Arrays.fill(cells, offset, offset + sectors.sizeOf(sector), (byte) 0xFF);
  }

  /** Programs bytes: each bit can only go from 1 to 0. Stops at an injected power cut. */
  public synchronized void write(int offset, byte[] data, int from, int length) {
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

  public synchronized byte[] read(int offset, int length) {
    check(offset, length);
    return Arrays.copyOfRange(cells, offset, offset + length);
  }

  /** The power goes after {@code bytes} more bytes are written. */
  public synchronized void cutPowerAfter(long bytes) {
    cutAfter = bytesWritten + bytes;
  }

  private void check(int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > cells.length) {
      throw new IllegalArgumentException("outside the flash: " + offset + "+" + length);
    }
  }
}
