package io.fieldproof.device.protocol.slots;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The erase units of a flash: uniform (ESP32 4 KiB sectors, STM32L4 2 KiB pages) or mixed (the
 * 16/64/128 KiB sectors of an STM32F4). Offsets are relative to the start of the flash.
 */
public final class SectorMap {

  private final int[] offsets;
  private final int[] sizes;
  private final int size;

  private SectorMap(int[] sizes) {
    this.sizes = sizes.clone();
    this.offsets = new int[sizes.length];
    int offset = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] <= 0) {
        throw new IllegalArgumentException("sector sizes must be positive");
      }
      offsets[i] = offset;
      offset += sizes[i];
    }
    this.size = offset;
  }

  /** {@code count} sectors of {@code sectorSize} bytes. */
  public static SectorMap uniform(int size, int sectorSize) {
    if (sectorSize <= 0 || size % sectorSize != 0) {
      throw new IllegalArgumentException("size must be a whole number of sectors");
    }
    int[] sizes = new int[size / sectorSize];
    Arrays.fill(sizes, sectorSize);
    return new SectorMap(sizes);
  }

  /** Sectors of the given sizes, in address order. */
  public static SectorMap of(int... sizes) {
    return new SectorMap(sizes);
  }

  /** Total bytes. */
  public int size() {
    return size;
  }

  public int count() {
    return sizes.length;
  }

  public int offset(int sector) {
    return offsets[sector];
  }

  public int sizeOf(int sector) {
    return sizes[sector];
  }

  /** The sector holding {@code offset}. */
  public int sectorAt(int offset) {
    if (offset < 0 || offset >= size) {
      throw new IllegalArgumentException("outside the flash: " + offset);
    }
    int index = Arrays.binarySearch(offsets, offset);
    return index >= 0 ? index : -index - 2;
  }

  /** Whether {@code offset} is the first byte of a sector. */
  public boolean isSectorStart(int offset) {
    return offset == size || (offset >= 0 && offset < size && offsets[sectorAt(offset)] == offset);
  }

  /** The sectors that hold any byte of {@code [offset, offset + length)}, in order. */
  public List<Integer> covering(int offset, int length) {
    List<Integer> covered = new ArrayList<>();
    if (length <= 0) {
      return covered;
    }
    int last = sectorAt(offset + length - 1);
    for (int sector = sectorAt(offset); sector <= last; sector++) {
      covered.add(sector);
    }
    return covered;
  }
}
