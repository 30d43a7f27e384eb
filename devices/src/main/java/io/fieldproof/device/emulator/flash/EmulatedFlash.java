package io.fieldproof.device.emulator.flash;

import io.fieldproof.device.protocol.slots.SectorMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * NOR flash as the chips have it: erased bytes read 0xFF, erase works on whole sectors, and a write
 * can only clear bits (new = old AND data), so writing over unerased data corrupts it. A power cut
 * can be injected after the N-th byte written from now. Sectors take memory only once written, so
 * thousands of emulated 4 MB chips fit in a test JVM. Kept in memory only, unless given a {@link
 * FlashFile}: then it starts from the file's bytes and every erase and write goes through to it, so
 * a new emulator on the same file is the same chip rebooted. Thread-safe.
 */
public final class EmulatedFlash implements AutoCloseable {

  private final SectorMap sectors;
  private final Map<Integer, byte[]> cells = new HashMap<>();
  private final FlashFile file;
  private long bytesWritten;
  private long cutAfter = -1;

  public EmulatedFlash(int size, int sectorSize) {
    this(SectorMap.uniform(size, sectorSize));
  }

  public EmulatedFlash(SectorMap sectors) {
    this.sectors = sectors;
    this.file = null;
  }

  /**
   * Flash kept in {@code file}: it holds what the file holds, and keeps there what is erased and
   * written.
   */
  public EmulatedFlash(SectorMap sectors, FlashFile file) {
    if (file.size() != sectors.size()) {
      throw new IllegalArgumentException(
          "flash file " + file.path() + " is not of a " + sectors.size() + "-byte flash");
    }
    this.sectors = sectors;
    this.file = file;
    for (int sector = 0; sector < sectors.count(); sector++) {
      byte[] cell = file.read(sectors.offset(sector), sectors.sizeOf(sector));
      if (!erased(cell)) {
        cells.put(sector, cell);
      }
    }
  }

  /** Whether every byte reads 0xFF: a chip fresh from the factory (or a new flash file). */
  public synchronized boolean isBlank() {
    return cells.values().stream().allMatch(EmulatedFlash::erased);
  }

  /** Releases the flash file, if there is one; the flash must not be used afterwards. */
  @Override
  public synchronized void close() {
    if (file != null) {
      file.close();
    }
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
    if (file != null) {
      file.erase(offset, length);
    }
  }

  /** Erases one sector to 0xFF. */
  public synchronized void eraseSector(int sector) {
    cells.remove(sector);
    if (file != null) {
      file.erase(sectors.offset(sector), sectors.sizeOf(sector));
    }
  }

  /**
   * Programs bytes: each bit can only go from 1 to 0. Stops at an injected power cut; what was
   * programmed until then stays, in the flash file too.
   */
  public synchronized void write(int offset, byte[] data, int from, int length) {
    check(offset, length);
    int i = 0;
    try {
      for (; i < length; i++) {
        if (cutAfter >= 0 && bytesWritten >= cutAfter) {
          long at = bytesWritten;
          cutAfter = -1;
          throw new PowerLossException(at);
        }
        program(offset + i, data[from + i]);
        bytesWritten++;
      }
    } finally {
      persist(offset, i);
    }
  }

  private void program(int address, byte value) {
    int sector = sectors.sectorAt(address);
    byte[] cell = cells.get(sector);
    if (cell == null) {
      if (value == (byte) 0xFF) {
        return;
      }
      cell = new byte[sectors.sizeOf(sector)];
      Arrays.fill(cell, (byte) 0xFF);
      cells.put(sector, cell);
    }
    cell[address - sectors.offset(sector)] &= value;
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

  /** Keeps the bytes a write programmed in the flash file, as they now read. */
  private void persist(int offset, int length) {
    if (file != null && length > 0) {
      file.write(offset, read(offset, length), 0, length);
    }
  }

  private static boolean erased(byte[] cell) {
    for (byte b : cell) {
      if (b != (byte) 0xFF) {
        return false;
      }
    }
    return true;
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
