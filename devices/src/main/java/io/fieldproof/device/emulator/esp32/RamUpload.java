package io.fieldproof.device.emulator.esp32;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * MEM_BEGIN / MEM_DATA / MEM_END: code and data loaded into the ESP32's internal RAM, the way
 * esptool uploads its flasher stub. Nothing is executed: each segment is checked to lie within the
 * chip's instruction RAM (0x40070000..0x400C0000) or data RAM (0x3FFAE000..0x40000000), its blocks
 * for sequence and checksum, and MEM_END's entry point to lie within an uploaded instruction
 * segment. The bytes themselves are not kept.
 */
final class RamUpload {

  private static final long IRAM_START = 0x4007_0000L;
  private static final long IRAM_END = 0x400C_0000L;
  private static final long DRAM_START = 0x3FFA_E000L;
  private static final long DRAM_END = 0x4000_0000L;

  private final List<Segment> segments = new ArrayList<>();
  private Segment current;
  private BlockSequence sequence;
  private long received;

  /** One uploaded range of RAM. */
  private record Segment(long address, long size) {

    boolean holds(long at) {
      return at >= address && at < address + size;
    }

    boolean executable() {
      return address >= IRAM_START && address + size <= IRAM_END;
    }
  }

  RomReply begin(RomCommand command) throws RomCommandException {
    int[] words = command.words(4);
    long size = Integer.toUnsignedLong(words[0]);
    long blocks = Integer.toUnsignedLong(words[1]);
    long blockSize = Integer.toUnsignedLong(words[2]);
    long address = Integer.toUnsignedLong(words[3]);
    if (blockSize == 0 || blockSize > FlashDownloads.MAX_BLOCK || blocks * blockSize < size) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT,
          "%d blocks of %d bytes cannot carry %d".formatted(blocks, blockSize, size));
    }
    if (!inRam(address, size)) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT,
          "0x%x+0x%x lies outside the ESP32's internal RAM".formatted(address, size));
    }
    current = new Segment(address, size);
    sequence = new BlockSequence((int) blocks);
    received = 0;
    return RomReply.ok(command.op());
  }

  RomReply data(RomCommand command) throws RomCommandException {
    if (current == null) {
      throw new RomCommandException(RomError.NOT_DOWNLOADING, "MEM_DATA without MEM_BEGIN");
    }
    DataBlock block = DataBlock.of(command);
    if (sequence.admit(block) == BlockSequence.Verdict.NEXT) {
      if (received + block.bytes().length > current.size()) {
        throw new RomCommandException(
            RomError.FAILED_TO_ACT, "more than the %d bytes announced".formatted(current.size()));
      }
      received += block.bytes().length;
      sequence.accepted(block);
      if (received == current.size()) {
        segments.add(current);
      }
    }
    return RomReply.ok(command.op());
  }

  /**
   * MEM_END: {@code flag, entry}. Flag 0 asks to run {@code entry}: the entry point is returned
   * when it lies within an uploaded instruction segment, and refused otherwise.
   */
  OptionalInt end(RomCommand command) throws RomCommandException {
    int[] words = command.words(2);
    current = null;
    if (words[0] != 0) {
      return OptionalInt.empty();
    }
    long entry = Integer.toUnsignedLong(words[1]);
    boolean plausible =
        segments.stream().anyMatch(segment -> segment.executable() && segment.holds(entry));
    if (!plausible) {
      throw new RomCommandException(
          RomError.FAILED_TO_ACT,
          "entry point 0x%x lies in no uploaded instruction RAM".formatted(entry));
    }
    return OptionalInt.of(words[1]);
  }

  /** Bytes uploaded into complete segments so far. */
  long uploadedBytes() {
    return segments.stream().mapToLong(Segment::size).sum();
  }

  private static boolean inRam(long address, long size) {
    return address >= IRAM_START && address + size <= IRAM_END
        || address >= DRAM_START && address + size <= DRAM_END;
  }
}
