package io.fieldproof.device.emulator.esp32;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The memory-mapped words the ROM loader's READ_REG and WRITE_REG reach: the chip-detect magic, the
 * eFuse words a host reads to describe the chip (an ESP32-D0WD-V3 rev 3.0, its MAC in words 1 and
 * 2), the UART clock divider (40 MHz APB over the line's baud), the RTC calibration that makes the
 * ROM's crystal estimate 40 MHz, the SPI0 controller, and plain memory for everything else.
 */
final class ChipRegisters {

  static final int CHIP_DETECT_MAGIC_ADDR = 0x40001000;
  static final int ESP32_MAGIC = 0x00F01D83;
  static final int EFUSE_BASE = 0x3FF5A000;
  static final int UART_CLKDIV = 0x3FF40014;
  static final int APB_CTL_DATE = 0x3FF6607C;
  static final int RTC_CALIBRATION = 0x3FF5F06C;
  private static final int EFUSE_WORDS = 32;

  /** Plain memory words remembered; writes to further new addresses are lost. */
  private static final int MEMORY_WORDS = 4096;

  private static final int APB_HZ = 40_000_000;
  private static final int ROM_BAUD = 115_200;

  /** Package D0WD (word 3 bits 9..11 = 1) and revision bit 0 (bit 15). */
  private static final int EFUSE_WORD3 = 1 << 9 | 1 << 15;

  /** The internal 8 MHz oscillator's calibration factor (word 4 bits 0..7). */
  private static final int EFUSE_WORD4 = 100;

  /** Revision bit 1 (word 5 bit 20); SPI pads all default (bits 0..19 zero). */
  private static final int EFUSE_WORD5 = 1 << 20;

  /** Revision bit 2 (bit 31): with bits 0 and 1 the chip reads as revision 3. */
  private static final int APB_DATE = 0x80000000 | 0x16042000;

  /** Calibration value 1024 at bit 7: 1024 * 15625 * 100 / 40 = 40 MHz, the ROM's estimate. */
  private static final int RTC_CALIBRATION_VALUE = 1024 << 7;

  private final Map<Integer, Integer> memory = new HashMap<>();
  private final Map<Integer, Integer> readOnly = new HashMap<>();
  private final SpiController spi;
  private final IntSupplier baud;

  /**
   * @param mac the base MAC the eFuses hold
   * @param spi the SPI0 controller
   * @param baud the line's current speed, for the UART clock divider; 0 means unpaced
   */
  ChipRegisters(byte[] mac, SpiController spi, IntSupplier baud) {
    if (mac.length != 6) {
      throw new IllegalArgumentException("a MAC has 6 bytes, not " + mac.length);
    }
    this.spi = spi;
    this.baud = baud;
    for (int word = 0; word < EFUSE_WORDS; word++) {
      readOnly.put(EFUSE_BASE + 4 * word, 0);
    }
    readOnly.put(
        EFUSE_BASE + 4,
        (mac[2] & 0xFF) << 24 | (mac[3] & 0xFF) << 16 | (mac[4] & 0xFF) << 8 | mac[5] & 0xFF);
    readOnly.put(EFUSE_BASE + 8, (mac[0] & 0xFF) << 8 | mac[1] & 0xFF);
    readOnly.put(EFUSE_BASE + 12, EFUSE_WORD3);
    readOnly.put(EFUSE_BASE + 16, EFUSE_WORD4);
    readOnly.put(EFUSE_BASE + 20, EFUSE_WORD5);
    readOnly.put(CHIP_DETECT_MAGIC_ADDR, ESP32_MAGIC);
    readOnly.put(APB_CTL_DATE, APB_DATE);
    readOnly.put(RTC_CALIBRATION, RTC_CALIBRATION_VALUE);
  }

  int read(int address) {
    if (address == UART_CLKDIV) {
      int current = baud.getAsInt();
      return APB_HZ / (current > 0 ? current : ROM_BAUD);
    }
    if (spi.owns(address)) {
      return spi.read(address);
    }
    Integer fixed = readOnly.get(address);
    return fixed != null ? fixed : memory.getOrDefault(address, 0);
  }

  /**
   * Writes the bits of {@code mask}; read-only words ignore writes, as ROM and eFuses do, and so
   * does plain memory once it holds {@value #MEMORY_WORDS} words.
   */
  void write(int address, int value, int mask) {
    if (address == UART_CLKDIV || readOnly.containsKey(address)) {
      return;
    }
    int merged = read(address) & ~mask | value & mask;
    if (spi.owns(address)) {
      spi.write(address, merged);
    } else if (memory.size() < MEMORY_WORDS || memory.containsKey(address)) {
      memory.put(address, merged);
    }
  }
}
