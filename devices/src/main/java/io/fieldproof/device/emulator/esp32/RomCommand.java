package io.fieldproof.device.emulator.esp32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One decoded command packet from the host: its opcode, the checksum field (meaningful for the data
 * commands only) and its data.
 */
record RomCommand(int op, int checksum, byte[] data) {

  /** The data read as exactly {@code count} little-endian 32-bit words. */
  int[] words(int count) throws RomCommandException {
    if (data.length != count * 4) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "command 0x%02x takes %d bytes, got %d".formatted(op, count * 4, data.length));
    }
    return wordsOf(data.length / 4);
  }

  /** The data read as any whole number of 16-byte groups of four words. */
  int[] quadruples() throws RomCommandException {
    if (data.length == 0 || data.length % 16 != 0) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "command 0x%02x takes groups of 16 bytes, got %d".formatted(op, data.length));
    }
    return wordsOf(data.length / 4);
  }

  private int[] wordsOf(int count) {
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int[] words = new int[count];
    for (int i = 0; i < count; i++) {
      words[i] = buffer.getInt();
    }
    return words;
  }
}
