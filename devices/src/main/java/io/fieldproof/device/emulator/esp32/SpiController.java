package io.fieldproof.device.emulator.esp32;

/**
 * The ESP32's SPI0 controller registers (base 0x3FF42000) and their "user command": the host fills
 * USR, USR1, USR2 (command byte), ADDR, MISO_DLEN and W0, sets bit 18 of CMD, polls CMD until the
 * bit clears and reads the answer from W0 on. Here the command runs at once against the {@link
 * SpiFlashChip} and the bit is clear on the next read.
 */
final class SpiController {

  static final int BASE = 0x3FF42000;
  static final int CMD = BASE;
  static final int ADDR = BASE + 0x04;
  static final int USR = BASE + 0x1C;
  static final int USR1 = BASE + 0x20;
  static final int USR2 = BASE + 0x24;
  static final int MISO_DLEN = BASE + 0x2C;
  static final int W0 = BASE + 0x80;
  static final int CMD_USR = 1 << 18;
  static final int USR_ADDR = 1 << 30;
  static final int USR_MISO = 1 << 28;
  private static final int SPAN = 0x100;
  private static final int DATA_WORDS = 16;
  private static final int ADDR_BITLEN_SHIFT = 26;
  private static final int ADDR_BITLEN_MASK = 0x3F;
  private static final int MISO_DLEN_MASK = 0xFFFFFF;

  private final int[] registers = new int[SPAN / 4];
  private final SpiFlashChip chip;

  SpiController(SpiFlashChip chip) {
    this.chip = chip;
  }

  boolean owns(int address) {
    return Integer.compareUnsigned(address - BASE, SPAN) < 0;
  }

  int read(int address) {
    return registers[index(address)];
  }

  void write(int address, int value) {
    registers[index(address)] = value;
    if (address == CMD && (value & CMD_USR) != 0) {
      runUserCommand();
      registers[index(CMD)] &= ~CMD_USR;
    }
  }

  private void runUserCommand() {
    int usr = read(USR);
    int command = read(USR2) & 0xFF;
    int misoBits = (usr & USR_MISO) != 0 ? (read(MISO_DLEN) & MISO_DLEN_MASK) + 1 : 0;
    int length = Math.min(DATA_WORDS * 4, (misoBits + 7) / 8);
    byte[] answer = chip.respond(command, (usr & USR_ADDR) != 0 ? address() : 0, length);
    for (int i = 0; i < answer.length; i++) {
      int word = index(W0) + i / 4;
      int shift = 8 * (i % 4);
      registers[word] = registers[word] & ~(0xFF << shift) | (answer[i] & 0xFF) << shift;
    }
  }

  /** ADDR holds the address in its top {@code bits} bits (USR1 gives the bit length - 1). */
  private int address() {
    int bits = Math.min(32, ((read(USR1) >>> ADDR_BITLEN_SHIFT) & ADDR_BITLEN_MASK) + 1);
    return bits == 32 ? read(ADDR) : read(ADDR) >>> (32 - bits);
  }

  private static int index(int address) {
    return (address - BASE) >>> 2;
  }
}
