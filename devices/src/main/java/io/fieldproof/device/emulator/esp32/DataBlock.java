package io.fieldproof.device.emulator.esp32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The payload of a FLASH_DATA or FLASH_DEFL_DATA command: {@code len, seq, 0, 0} as four
 * little-endian words, then {@code len} bytes, guarded by the packet's checksum field (0xEF XORed
 * with every payload byte).
 */
record DataBlock(int seq, byte[] bytes) {

  static final int CHECKSUM_SEED = 0xEF;
  private static final int HEADER = 16;

  /** Reads and checks the block a data command carries. */
  static DataBlock of(RomCommand command) throws RomCommandException {
    byte[] data = command.data();
    if (data.length < HEADER) {
      throw new RomCommandException(RomError.INVALID_MESSAGE, "data command without its header");
    }
    ByteBuffer header = ByteBuffer.wrap(data, 0, HEADER).order(ByteOrder.LITTLE_ENDIAN);
    int length = header.getInt();
    int seq = header.getInt();
    if (length != data.length - HEADER) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "block says %d bytes, %d came".formatted(length, data.length - HEADER));
    }
    byte[] bytes = Arrays.copyOfRange(data, HEADER, data.length);
    int checksum = checksum(bytes);
    if (checksum != command.checksum()) {
      throw new RomCommandException(
          RomError.BAD_CHECKSUM,
          "block %d: checksum 0x%02x, packet says 0x%x"
              .formatted(seq, checksum, command.checksum()));
    }
    return new DataBlock(seq, bytes);
  }

  static int checksum(byte[] bytes) {
    int state = CHECKSUM_SEED;
    for (byte b : bytes) {
      state ^= b & 0xFF;
    }
    return state;
  }
}
