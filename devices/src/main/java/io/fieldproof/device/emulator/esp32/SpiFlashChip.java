package io.fieldproof.device.emulator.esp32;

import java.util.Arrays;

/**
 * The SPI NOR chip behind the ESP32's SPI0 controller, as far as its command set answers on MISO: a
 * Winbond-style JEDEC id ({@code EF 40 nn}, {@code nn} = log2 of the size, so 0x1640EF for 4 MB),
 * an SFDP table, and an empty status register. Commands without an answer (write enable, reset,
 * power-down...) leave MISO high.
 */
final class SpiFlashChip {

  static final int READ_ID = 0x9F;
  static final int READ_SFDP = 0x5A;
  private static final int[] READ_STATUS = {0x05, 0x35, 0x15};
  private static final int MANUFACTURER_WINBOND = 0xEF;
  private static final int MEMORY_TYPE = 0x40;
  private static final int SFDP_SIZE = 0x100;
  private static final int SFDP_BASIC_TABLE = 0x80;

  private final int capacityCode;
  private final byte[] sfdp;

  SpiFlashChip(int size) {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("SPI NOR sizes are powers of two, not " + size);
    }
    this.capacityCode = Integer.numberOfTrailingZeros(size);
    this.sfdp = sfdp(size);
  }

  /** The {@code length} bytes the chip drives on MISO after {@code command} at {@code address}. */
  byte[] respond(int command, int address, int length) {
    byte[] out = new byte[length];
    if (command == READ_ID) {
      byte[] id = {(byte) MANUFACTURER_WINBOND, (byte) MEMORY_TYPE, (byte) capacityCode};
      System.arraycopy(id, 0, out, 0, Math.min(length, id.length));
    } else if (command == READ_SFDP) {
      for (int i = 0; i < length; i++) {
        int at = address + i;
        out[i] = at >= 0 && at < SFDP_SIZE ? sfdp[at] : (byte) 0xFF;
      }
    } else if (Arrays.stream(READ_STATUS).noneMatch(status -> status == command)) {
      Arrays.fill(out, (byte) 0xFF);
    }
    return out;
  }

  /**
   * A JESD216 table: the "SFDP" signature, revision 1.6, one parameter header pointing at a basic
   * flash parameter table at 0x80 whose first words give 4 KiB erase and the density in bits.
   */
  private static byte[] sfdp(int size) {
    byte[] table = new byte[SFDP_SIZE];
    Arrays.fill(table, (byte) 0xFF);
    byte[] header = {
      'S',
      'F',
      'D',
      'P',
      0x06,
      0x01,
      0x00,
      (byte) 0xFF,
      0x00,
      0x06,
      0x01,
      0x10,
      (byte) SFDP_BASIC_TABLE,
      0x00,
      0x00,
      (byte) 0xFF
    };
    System.arraycopy(header, 0, table, 0, header.length);
    putWord(table, SFDP_BASIC_TABLE, 0xFFF120E5);
    putWord(table, SFDP_BASIC_TABLE + 4, size * 8 - 1);
    return table;
  }

  private static void putWord(byte[] table, int at, int value) {
    for (int i = 0; i < 4; i++) {
      table[at + i] = (byte) (value >>> (8 * i));
    }
  }
}
