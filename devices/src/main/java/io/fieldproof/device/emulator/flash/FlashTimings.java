package io.fieldproof.device.emulator.flash;

/**
 * How long a SPI NOR flash takes to erase and program, per operation, in nanoseconds: a 4 KiB
 * sector erase, a 64 KiB block erase, a whole-chip erase and a 256-byte page program. Erasing a
 * range takes sectors up to the first 64 KiB boundary, whole blocks while at least one fits, then
 * sectors again, the way the ESP32 ROM's erase routine walks a range. Programming takes one page
 * time per 256-byte page the bytes touch.
 *
 * @param sectorEraseNanos one 4 KiB sector erase (tSE)
 * @param blockEraseNanos one 64 KiB block erase (tBE2)
 * @param chipEraseNanos a whole-chip erase (tCE)
 * @param pageProgramNanos one page program of up to 256 bytes (tPP)
 */
public record FlashTimings(
    long sectorEraseNanos, long blockEraseNanos, long chipEraseNanos, long pageProgramNanos) {

  public static final int SECTOR = 4096;
  public static final int BLOCK = 64 * 1024;
  public static final int PAGE = 256;

  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;

  public FlashTimings {
    if (sectorEraseNanos < 0 || blockEraseNanos < 0 || chipEraseNanos < 0 || pageProgramNanos < 0) {
      throw new IllegalArgumentException("flash timings must not be negative");
    }
  }

  /** Flash that takes no time at all: what unit tests want. */
  public static FlashTimings instant() {
    return new FlashTimings(0, 0, 0, 0);
  }

  /**
   * The typical figures of the Winbond W25Q32JV (the 4 MB part whose JEDEC id, EF 40 16, the
   * emulated ESP32 reports), from its datasheet's AC electrical characteristics: tSE 45 ms, tBE2
   * 150 ms, tCE 10 s, tPP 0.4 ms (maximums 400 ms, 2 s, 50 s and 3 ms).
   */
  public static FlashTimings w25q32jvTypical() {
    return new FlashTimings(45 * MS, 150 * MS, 10_000 * MS, 400 * US);
  }

  /** Whether every operation is instant. */
  public boolean isInstant() {
    return sectorEraseNanos == 0
        && blockEraseNanos == 0
        && chipEraseNanos == 0
        && pageProgramNanos == 0;
  }

  /** The size of the next erase unit at {@code offset} for a range ending at {@code end}. */
  public static int nextEraseUnit(long offset, long end) {
    return offset % BLOCK == 0 && end - offset >= BLOCK ? BLOCK : SECTOR;
  }

  /** Erasing the sectors that hold {@code [offset, offset + length)}. */
  public long eraseNanos(long offset, long length) {
    if (length <= 0) {
      return 0;
    }
    long start = Math.floorDiv(offset, SECTOR) * SECTOR;
    long end = Math.floorDiv(offset + length + SECTOR - 1, SECTOR) * SECTOR;
    long nanos = 0;
    for (long at = start; at < end; ) {
      int unit = nextEraseUnit(at, end);
      nanos += unit == BLOCK ? blockEraseNanos : sectorEraseNanos;
      at += unit;
    }
    return nanos;
  }

  /** Erasing one unit of {@code size} bytes ({@link #SECTOR} or {@link #BLOCK}). */
  public long unitEraseNanos(int size) {
    return size == BLOCK ? blockEraseNanos : sectorEraseNanos;
  }

  /** Programming {@code [offset, offset + length)}: one page time per page it touches. */
  public long programNanos(long offset, long length) {
    if (length <= 0) {
      return 0;
    }
    long pages = Math.floorDiv(offset + length - 1, PAGE) - Math.floorDiv(offset, PAGE) + 1;
    return pages * pageProgramNanos;
  }
}
