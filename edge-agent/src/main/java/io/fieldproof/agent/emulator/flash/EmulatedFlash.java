package io.fieldproof.agent.emulator.flash;

import io.fieldproof.agent.slots.SectorMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * NOR flash as the chips have it: erased bytes read 0xFF, erase works on whole sectors, and a write
 * can only clear bits (new = old AND data), so writing over unerased data corrupts it. A power cut
 * can be injected after the N-th byte written from now. Sectors take memory only once written, so
 * thousands of emulated 4 MB chips fit in a test JVM. Thread-safe.
 */
public final class EmulatedFlash {

  private final SectorMap sectors;
  private final Map<Integer, byte[]> cells = new HashMap<>();
  private long bytesWritten;
  private long cutAfter = -1;

  public EmulatedFlash(int size, int sectorSize) {
    this(SectorMap.uniform(size, sectorSize));
  }

  public EmulatedFlash(SectorMap sectors) {
    this.sectors = sectors;
  }

  public int size() {
    return sectors.size();
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
    for (int sector : sectors.covering(offset, length)) {
      cells.remove(sector);
    }
  }

  /** Erases one sector to 0xFF. */
  public synchronized void eraseSector(int sector) {
    cells.remove(sector);
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
      int address = offset + i;
      int sector = sectors.sectorAt(address);
      byte[] cell = cells.get(sector);
      if (cell == null) {
        if (data[from + i] == (byte) 0xFF) {
          bytesWritten++;
          continue;
        }
        cell = new byte[sectors.sizeOf(sector)];
        Arrays.fill(cell, (byte) 0xFF);
        cells.put(sector, cell);
      }
      cell[address - sectors.offset(sector)] &= data[from + i];
      bytesWritten++;
    }
  }

  public synchronized byte[] read(int offset, int length) {
    check(offset, length);
    byte[] out = new byte[length];
    int done = 0;
    while (done < length) {
      int address = offset + done;
      int sector = sectors.sectorAt(address);
      int within = address - sectors.offset(sector);
      int take = Math.min(length - done, sectors.sizeOf(sector) - within);
      byte[] cell = cells.get(sector);
      if (cell == null) {
        Arrays.fill(out, done, done + take, (byte) 0xFF);
      } else {
        System.arraycopy(cell, within, out, done, take);
      }
      done += take;
    }
    return out;
  }

  /** The power goes after {@code bytes} more bytes are written. */
  public synchronized void cutPowerAfter(long bytes) {
    cutAfter = bytesWritten + bytes;
  }

  /** Bytes programmed since the flash was made. */
  public synchronized long bytesWritten() {
    return bytesWritten;
  }

  private void check(int offset, int length) {
    if (offset < 0 || length < 0 || (long) offset + length > sectors.size()) {
      throw new IllegalArgumentException("outside the flash: " + offset + "+" + length);
    }
  }
}
