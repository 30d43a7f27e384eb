package io.fieldproof.device.emulator.esp32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ROM loader's packets, little-endian: a command is {@code 00, op, size:u16, checksum:u32,
 * data[size]}; a reply is {@code 01, op, size:u16, value:u32, data, status, error, 0, 0}.
 */
final class RomPacketCodec {

  static final int HEADER = 8;
  static final int STATUS_BYTES = 4;
  private static final int REQUEST = 0x00;
  private static final int RESPONSE = 0x01;

  private RomPacketCodec() {}

  /**
   * Whether a frame starts like a command at all (long enough, host-to-chip direction). Frames that
   * do not cannot be answered: they are dropped.
   */
  static boolean looksLikeCommand(byte[] frame) {
    return frame.length >= HEADER && frame[0] == REQUEST;
  }

  /** The opcode byte of a frame that {@link #looksLikeCommand looks like a command}. */
  static int opOf(byte[] frame) {
    return frame[1] & 0xFF;
  }

  /** Decodes a command whose size field must match the data that came with it. */
  static RomCommand decode(byte[] frame) throws RomCommandException {
    ByteBuffer buffer = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    buffer.get();
    int op = buffer.get() & 0xFF;
    int size = buffer.getShort() & 0xFFFF;
    int checksum = buffer.getInt();
    if (size != frame.length - HEADER) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE,
          "size field says %d bytes, %d came".formatted(size, frame.length - HEADER));
    }
    byte[] data = new byte[size];
    buffer.get(data);
    return new RomCommand(op, checksum, data);
  }

  static byte[] encode(RomReply reply) {
    int size = reply.body().length + STATUS_BYTES;
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + size).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put((byte) RESPONSE);
    buffer.put((byte) reply.op());
    buffer.putShort((short) size);
    buffer.putInt(reply.value());
    buffer.put(reply.body());
    buffer.put((byte) (reply.failed() ? 1 : 0));
    buffer.put((byte) (reply.failed() ? reply.error().code() : 0));
    buffer.putShort((short) 0);
    return buffer.array();
  }
}
