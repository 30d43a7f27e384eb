package io.fieldproof.device.emulator.esp32;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host end of the ROM protocol written out by hand for the tests, apart from the emulator's own
 * codec: builds SLIP command frames and splits the loader's output into replies.
 */
final class RomHost {

  /** One reply: op, value, the data before the status bytes, status and error. */
  record Reply(int op, int value, byte[] data, int status, int error) {}

  private RomHost() {}

  static byte[] command(int op, byte[] data, int checksum) {
    byte[] packet =
        ByteBuffer.allocate(8 + data.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put((byte) 0)
            .put((byte) op)
            .putShort((short) data.length)
            .putInt(checksum)
            .put(data)
            .array();
    return slip(packet);
  }

  static byte[] command(int op, int... words) {
    return command(op, words(words), 0);
  }

  static byte[] sync() {
    byte[] data = new byte[36];
    data[0] = 7;
    data[1] = 7;
    data[2] = 0x12;
    data[3] = 0x20;
    Arrays.fill(data, 4, 36, (byte) 0x55);
    return command(0x08, data, 0);
  }

  /** A FLASH_DATA / FLASH_DEFL_DATA frame with the right checksum plus {@code checksumError}. */
  static byte[] block(int op, int seq, byte[] block, int checksumError) {
    byte[] data =
        ByteBuffer.allocate(16 + block.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(block.length)
            .putInt(seq)
            .putInt(0)
            .putInt(0)
            .put(block)
            .array();
    int checksum = 0xEF;
    for (byte b : block) {
      checksum ^= b & 0xFF;
    }
    return command(op, data, checksum ^ checksumError);
  }

  static byte[] words(int... words) {
    ByteBuffer buffer = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : words) {
      buffer.putInt(word);
    }
    return buffer.array();
  }

  static byte[] slip(byte[] packet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xC0);
    for (byte value : packet) {
      int b = value & 0xFF;
      if (b == 0xC0) {
        out.write(0xDB);
        out.write(0xDC);
      } else if (b == 0xDB) {
        out.write(0xDB);
        out.write(0xDD);
      } else {
        out.write(b);
      }
    }
    out.write(0xC0);
    return out.toByteArray();
  }

  /** Splits the loader's output into replies; fails on any byte outside a frame. */
  static List<Reply> replies(byte[] output) {
    List<byte[]> frames = new ArrayList<>();
    ByteArrayOutputStream frame = null;
    for (int i = 0; i < output.length; i++) {
      int b = output[i] & 0xFF;
      if (b == 0xC0) {
        if (frame != null && frame.size() > 0) {
          frames.add(frame.toByteArray());
          frame = null;
        } else {
          frame = new ByteArrayOutputStream();
        }
      } else if (frame == null) {
        throw new AssertionError("byte 0x" + Integer.toHexString(b) + " outside a SLIP frame");
      } else if (b == 0xDB) {
        int next = output[++i] & 0xFF;
        frame.write(next == 0xDC ? 0xC0 : 0xDB);
      } else {
        frame.write(b);
      }
    }
    List<Reply> replies = new ArrayList<>();
    for (byte[] packet : frames) {
      ByteBuffer buffer = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
      if (buffer.get() != 1) {
        throw new AssertionError("not a reply");
      }
      int op = buffer.get() & 0xFF;
      int size = buffer.getShort() & 0xFFFF;
      int value = buffer.getInt();
      if (size != packet.length - 8 || size < 4) {
        throw new AssertionError("reply size " + size + " in a packet of " + packet.length);
      }
      byte[] data = Arrays.copyOfRange(packet, 8, packet.length - 4);
      replies.add(
          new Reply(
              op, value, data, packet[packet.length - 4] & 0xFF, packet[packet.length - 3] & 0xFF));
    }
    return replies;
  }
}
