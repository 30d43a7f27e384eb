package io.fieldproof.device.protocol.slots;

/**
 * Where a chip keeps its two model slots and their records, as offsets from the start of its flash,
 * and where that flash sits in the bootloader's address space ({@code 0} on an ESP32, whose ROM
 * loader addresses the SPI flash directly; {@code 0x08000000} on an STM32). Each record and each
 * slot starts on an erase unit of its own, so erasing one never touches another.
 */
public record SlotLayout(
    String chip,
    long busBase,
    SectorMap sectors,
    int recordA,
    int recordB,
    int slotA,
    int slotB,
    int slotSize) {

  public static final int A = 0;
  public static final int B = 1;

  private static final int KIB = 1024;

  public SlotLayout {
    for (int offset :
        new int[] {recordA, recordB, slotA, slotB, slotA + slotSize, slotB + slotSize}) {
      if (!sectors.isSectorStart(offset)) {
        throw new IllegalArgumentException(
            "slot layout of " + chip + ": offset " + offset + " is not on a sector boundary");
      }
    }
  }

  private static final java.util.Map<String, SlotLayout> BY_CHIP =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The layout of the runtime built for {@code chip} (its wire name); one shared instance. */
  public static SlotLayout forChip(String chip) {
    SlotLayout known = BY_CHIP.get(chip);
    if (known != null) {
      return known;
    }
    SlotLayout layout = build(chip);
    BY_CHIP.putIfAbsent(chip, layout);
    return layout;
  }

  private static SlotLayout build(String chip) {
    return switch (chip) {
      case "esp32" ->
          new SlotLayout(
              chip,
              0,
              SectorMap.uniform(4096 * KIB, 4 * KIB),
              0x200000,
              0x201000,
              0x210000,
              0x290000,
              512 * KIB);
      case "esp32s3" ->
          new SlotLayout(
              chip,
              0,
              SectorMap.uniform(8192 * KIB, 4 * KIB),
              0x200000,
              0x201000,
              0x210000,
              0x310000,
              1024 * KIB);
      case "stm32f4" ->
          new SlotLayout(
              chip,
              0x08000000L,
              SectorMap.of(
                  16 * KIB, 16 * KIB, 16 * KIB, 16 * KIB, 64 * KIB, 128 * KIB, 128 * KIB, 128 * KIB,
                  128 * KIB, 128 * KIB, 128 * KIB, 128 * KIB),
              0x8000,
              0xC000,
              0x20000,
              0x80000,
              384 * KIB);
      case "stm32l4" ->
          new SlotLayout(
              chip,
              0x08000000L,
              SectorMap.uniform(1024 * KIB, 2 * KIB),
              0x70000,
              0x70800,
              0x80000,
              0xC0000,
              256 * KIB);
      default -> throw new IllegalArgumentException("no slot layout for chip " + chip);
    };
  }

  /** Offset of slot {@code slot}'s record. */
  public int recordOffset(int slot) {
    return slot == A ? recordA : recordB;
  }

  /** Offset of slot {@code slot}'s first byte. */
  public int slotOffset(int slot) {
    return slot == A ? slotA : slotB;
  }

  /** The bootloader address of flash offset {@code offset}. */
  public long busAddress(int offset) {
    return busBase + offset;
  }

  public static String name(int slot) {
    return slot == A ? "A" : "B";
  }
}
