package io.fieldproof.device.protocol;

import java.util.zip.CRC32;

/**
 * The frame layout of protocol v1: a 6-byte header (type, flags, request id u16 LE, body length u16
 * LE), the body, and a CRC-32 (IEEE) u32 LE over everything before it; on the wire the whole is
 * COBS-encoded and terminated by one 0x00.
 */
public final class FrameCodec {

  /** Largest body a frame may carry. */
  public static final int MAX_BODY_LENGTH = 4096;

  /** Bytes before the body. */
  public static final int HEADER_LENGTH = 6;

  /** Bytes of the trailing CRC. */
  public static final int CRC_LENGTH = 4;

  /** Largest frame before COBS encoding. */
  public static final int MAX_RAW_LENGTH = HEADER_LENGTH + MAX_BODY_LENGTH + CRC_LENGTH;

  /** Largest COBS-encoded frame, without its delimiter. */
  public static final int MAX_ENCODED_LENGTH = Cobs.maxEncodedLength(MAX_RAW_LENGTH);

  /** The frame delimiter. */
  public static final byte DELIMITER = 0;

  private FrameCodec() {}

  /** Header, body and CRC, before byte stuffing. */
  public static byte[] toRaw(Frame frame) {
    byte[] body = frame.body();
    byte[] raw = new byte[HEADER_LENGTH + body.length + CRC_LENGTH];
    raw[0] = (byte) frame.type();
    raw[1] = (byte) frame.flags();
    putU16(raw, 2, frame.requestId());
    putU16(raw, 4, body.length);
    System.arraycopy(body, 0, raw, HEADER_LENGTH, body.length);
    int crcOffset = HEADER_LENGTH + body.length;
    putU32(raw, crcOffset, crc(raw, crcOffset));
    return raw;
  }

  /** Stuffs a raw frame and appends the delimiter: the bytes to write on the line. */
  public static byte[] toWire(byte[] raw) {
    byte[] stuffed = Cobs.encode(raw);
    byte[] wire = new byte[stuffed.length + 1];
    System.arraycopy(stuffed, 0, wire, 0, stuffed.length);
    wire[stuffed.length] = DELIMITER;
    return wire;
  }

  /** {@link #toRaw} then {@link #toWire}. */
  public static byte[] encode(Frame frame) {
    return toWire(toRaw(frame));
  }

  /** Parses and checks a raw (already unstuffed) frame. */
  public static Frame fromRaw(byte[] raw) throws FrameException {
    if (raw.length < HEADER_LENGTH + CRC_LENGTH) {
      throw new FrameException(
          FrameException.Reason.BAD_LENGTH, "frame of " + raw.length + " bytes is truncated");
    }
    int bodyLength = getU16(raw, 4);
    if (bodyLength > MAX_BODY_LENGTH || raw.length != HEADER_LENGTH + bodyLength + CRC_LENGTH) {
      throw new FrameException(
          FrameException.Reason.BAD_LENGTH,
          "body length " + bodyLength + " disagrees with a frame of " + raw.length + " bytes");
    }
    int crcOffset = HEADER_LENGTH + bodyLength;
    long expected = getU32(raw, crcOffset);
    long actual = crc(raw, crcOffset);
    if (expected != actual) {
      throw new FrameException(FrameException.Reason.BAD_CRC, "CRC mismatch");
    }
    byte[] body = new byte[bodyLength];
    System.arraycopy(raw, HEADER_LENGTH, body, 0, bodyLength);
    return new Frame(raw[0] & 0xFF, raw[1] & 0xFF, getU16(raw, 2), body);
  }

  /** Unstuffs and parses the bytes between two delimiters. */
  public static Frame decode(byte[] encoded, int offset, int length) throws FrameException {
    return fromRaw(Cobs.decode(encoded, offset, length));
  }

  private static long crc(byte[] data, int length) {
    CRC32 crc = new CRC32();
    crc.update(data, 0, length);
    return crc.getValue();
  }

  private static void putU16(byte[] out, int offset, int value) {
    out[offset] = (byte) value;
    out[offset + 1] = (byte) (value >>> 8);
  }

  private static void putU32(byte[] out, int offset, long value) {
    for (int i = 0; i < 4; i++) {
      out[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  private static int getU16(byte[] in, int offset) {
    return (in[offset] & 0xFF) | (in[offset + 1] & 0xFF) << 8;
  }

  private static long getU32(byte[] in, int offset) {
    long value = 0;
    for (int i = 3; i >= 0; i--) {
      value = value << 8 | (in[offset + i] & 0xFF);
    }
    return value;
  }
}
