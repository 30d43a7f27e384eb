package io.fieldproof.device.emulator.esp32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The loader's packets, little-endian: a command is {@code 00, op, size:u16, checksum:u32,
 * data[size]}; a ROM reply is {@code 01, op, size:u16, value:u32, data, status, error, 0, 0}, a
 * stub reply ends in two status bytes instead: {@code code, 0} (code 0 for success).
 */
final class RomPacketCodec {

  static final int HEADER = 8;
  static final int ROM_STATUS_BYTES = 4;
  static final int STUB_STATUS_BYTES = 2;
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

  /** A reply as the ROM loader sends it. */
  static byte[] encode(RomReply reply) {
    return encode(reply, false);
  }

  /** A reply as the ROM loader ({@code stub} false) or the flasher stub sends it. */
  static byte[] encode(RomReply reply, boolean stub) {
    int size = reply.body().length + (stub ? STUB_STATUS_BYTES : ROM_STATUS_BYTES);
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + size).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put((byte) RESPONSE);
    buffer.put((byte) reply.op());
    buffer.putShort((short) size);
    buffer.putInt(reply.value());
    buffer.put(reply.body());
    if (stub) {
      buffer.put((byte) (reply.failed() ? reply.error().stubCode() : 0));
      buffer.put((byte) 0);
    } else {
      buffer.put((byte) (reply.failed() ? 1 : 0));
      buffer.put((byte) (reply.failed() ? reply.error().code() : 0));
      buffer.putShort((short) 0);
    }
    return buffer.array();
  }
}
