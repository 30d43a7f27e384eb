package io.fieldproof.device.emulator.stm32;

/** The bytes of the STM32 USART bootloader protocol (ST AN3155) that every command shares. */
final class An3155 {

  static final int ACK = 0x79;
  static final int NACK = 0x1F;
  static final int SYNC = 0x7F;

  /** The protocol version GET and GET_VERSION report: 3.1. */
  static final int VERSION = 0x31;

  private An3155() {}

  /** XOR of {@code bytes[from..to)}, as unsigned. */
  static int xor(byte[] bytes, int from, int to) {
    int checksum = 0;
    for (int i = from; i < to; i++) {
      checksum ^= bytes[i] & 0xFF;
    }
    return checksum;
  }

  /** Whether {@code second} is the complement of {@code first}. */
  static boolean complements(byte first, byte second) {
    return ((first ^ second) & 0xFF) == 0xFF;
  }

  /** The big-endian unsigned 16-bit value at {@code bytes[at]}. */
  static int u16(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
  }
}
