package io.fieldproof.device.protocol;

import java.util.Arrays;

/**
 * Consistent Overhead Byte Stuffing: turns any byte sequence into one without zero bytes, so that a
 * single 0x00 can delimit frames on a byte stream. Owns nothing but the two transforms.
 */
public final class Cobs {

  private static final int MAX_BLOCK_CODE = 0xFF;

  private Cobs() {}

  /** The largest encoding of {@code length} bytes, without the 0x00 delimiter. */
  public static int maxEncodedLength(int length) {
    return length + length / 254 + 1;
  }

  /** Encodes {@code data}; the result contains no zero byte and no delimiter. */
  public static byte[] encode(byte[] data) {
    byte[] out = new byte[maxEncodedLength(data.length)];
    int codeIndex = 0;
    int write = 1;
    int code = 1;
    for (byte b : data) {
      if (b == 0) {
        out[codeIndex] = (byte) code;
        codeIndex = write++;
        code = 1;
      } else {
        out[write++] = b;
        code++;
        if (code == MAX_BLOCK_CODE) {
          out[codeIndex] = (byte) code;
          codeIndex = write++;
          code = 1;
        }
      }
    }
    out[codeIndex] = (byte) code;
    return Arrays.copyOf(out, write);
  }

  /**
   * Decodes {@code length} bytes of {@code encoded} starting at {@code offset} (the delimiter
   * excluded).
   *
   * @throws FrameException with reason {@link FrameException.Reason#BAD_COBS} when the input holds
   *     a zero byte or a block runs past its end
   */
  public static byte[] decode(byte[] encoded, int offset, int length) throws FrameException {
    byte[] out = new byte[length];
    int read = offset;
    int end = offset + length;
    int write = 0;
    while (read < end) {
      int code = encoded[read++] & 0xFF;
      if (code == 0) {
        throw new FrameException(FrameException.Reason.BAD_COBS, "zero byte inside a frame");
      }
      int blockEnd = read + code - 1;
      if (blockEnd > end) {
        throw new FrameException(FrameException.Reason.BAD_COBS, "block runs past the frame end");
      }
      for (; read < blockEnd; read++) {
        if (encoded[read] == 0) {
          throw new FrameException(FrameException.Reason.BAD_COBS, "zero byte inside a frame");
        }
        out[write++] = encoded[read];
      }
      if (code < MAX_BLOCK_CODE && read < end) {
        out[write++] = 0;
      }
    }
    return Arrays.copyOf(out, write);
  }
}
