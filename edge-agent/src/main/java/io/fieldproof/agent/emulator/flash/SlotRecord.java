package io.fieldproof.agent.emulator.flash;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * One selection record, as ESP-IDF's otadata entry extended for models: sequence number, state,
 * model length and sha256, and a CRC-32 over all of them. Record k lives in sector k of the state
 * area and describes slot k (A = 0, B = 1). A record torn by a power cut fails its CRC and counts
 * as absent.
 */
record SlotRecord(long seq, SlotState state, int length, byte[] sha256) {

  static final int BYTES = 4 + 4 + 4 + 32 + 4;

  byte[] encode() {
    ByteBuffer buffer = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt((int) seq).putInt(state.code()).putInt(length).put(sha256);
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), 0, BYTES - 4);
    buffer.putInt((int) crc.getValue());
    return buffer.array();
  }

  static Optional<SlotRecord> decode(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, BYTES - 4);
    if ((int) crc.getValue() != buffer.getInt(BYTES - 4)) {
      return Optional.empty();
    }
    long seq = Integer.toUnsignedLong(buffer.getInt(0));
    SlotState state = SlotState.of(buffer.getInt(4));
    int length = buffer.getInt(8);
    byte[] sha = Arrays.copyOfRange(bytes, 12, 44);
    return state == null ? Optional.empty() : Optional.of(new SlotRecord(seq, state, length, sha));
  }

  SlotRecord with(SlotState next) {
    return new SlotRecord(seq, next, length, sha256);
  }
}
