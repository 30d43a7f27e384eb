package io.fieldproof.device.emulator.esp32;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * SYNC: the data must be {@code 07 07 12 20} and 32 × {@code 55}; the answer is eight replies. The
 * ROM puts a non-zero value in them; the flasher stub puts 0, which tells esptool that a stub
 * already runs.
 */
final class SyncReplies {

  static final int ROM_VALUE = 0x20120707;
  private static final int REPLIES = 8;
  private static final byte[] PATTERN = pattern();

  private SyncReplies() {}

  /** The eight framed replies to a valid SYNC, or a refusal of any other data. */
  static byte[] answer(RomCommand command, int value, boolean stub) throws RomCommandException {
    if (!Arrays.equals(command.data(), PATTERN)) {
      throw new RomCommandException(RomError.INVALID_MESSAGE, "not the SYNC pattern");
    }
    byte[] reply =
        SlipEncoder.encode(RomPacketCodec.encode(RomReply.value(command.op(), value), stub));
    ByteArrayOutputStream replies = new ByteArrayOutputStream(reply.length * REPLIES);
    for (int i = 0; i < REPLIES; i++) {
      replies.writeBytes(reply);
    }
    return replies.toByteArray();
  }

  private static byte[] pattern() {
    byte[] pattern = new byte[36];
    pattern[0] = 0x07;
    pattern[1] = 0x07;
    pattern[2] = 0x12;
    pattern[3] = 0x20;
    Arrays.fill(pattern, 4, pattern.length, (byte) 0x55);
    return pattern;
  }
}
