package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * A reply of the ROM loader: {@code 01, op, size:u16, value:u32, data[size]}, the data ending in
 * the status bytes ({@code status, error}, and two more on an ESP32 ROM) after the command's own
 * result.
 */
record RomResponse(int op, int value, byte[] data) {

  private static final int HEADER = 8;
  private static final int RESPONSE = 0x01;

  /** The reply a frame holds; empty when the frame is no reply (noise, a request echoed). */
  static Optional<RomResponse> parse(byte[] frame) {
    if (frame.length < HEADER || frame[0] != RESPONSE) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    buffer.get();
    int op = buffer.get() & 0xFF;
    int size = buffer.getShort() & 0xFFFF;
    int value = buffer.getInt();
    if (size != frame.length - HEADER) {
      return Optional.empty();
    }
    return Optional.of(new RomResponse(op, value, Arrays.copyOfRange(frame, HEADER, frame.length)));
  }

  /**
   * The command's result of {@code length} bytes, once the status bytes after it say it succeeded.
   *
   * @throws FlashException {@code REFUSED} with the loader's error code, or {@code GARBLED} when
   *     the reply is too short to tell
   */
  byte[] result(int length) throws FlashException {
    if (data.length >= length + 2) {
      requireOk(data[length], data[length + 1]);
      return Arrays.copyOf(data, length);
    }
    if (data.length >= 2 && data[0] != 0) {
      requireOk(data[0], data[1]);
    }
    throw new FlashException(
        FlashFailure.GARBLED,
        "reply to 0x%02x has %d bytes, expected %d and the status"
            .formatted(op, data.length, length));
  }

  private void requireOk(byte status, byte error) throws FlashException {
    if (status != 0) {
      throw new FlashException(
          FlashFailure.REFUSED,
          "the loader refused command 0x%02x with error 0x%02x".formatted(op, error & 0xFF));
    }
  }
}
