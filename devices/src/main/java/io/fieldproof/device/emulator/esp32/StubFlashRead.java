package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * READ_FLASH (0xD2) once the stub has acknowledged it: the flash goes out in raw SLIP frames of
 * {@code packetSize} bytes, one at a time, each sent once the host has acknowledged the one before
 * with a frame holding the total it has received ({@code u32}); then one frame with the MD5 of all
 * of it. A frame that is not a 4-byte acknowledgement ends the read early, with the digest.
 */
final class StubFlashRead {

  static final int MAX_PACKET = 4096;

  private final EmulatedFlash flash;
  private final ReplyChannel replies;
  private final MessageDigest md5 = md5();
  private final long end;
  private final int packetSize;
  private long position;
  private long sent;
  private boolean finished;

  StubFlashRead(
      EmulatedFlash flash, ReplyChannel replies, long offset, long length, int packetSize) {
    this.flash = flash;
    this.replies = replies;
    this.position = offset;
    this.end = offset + length;
    this.packetSize = packetSize;
  }

  /** Checks {@code offset, length, packetSize, maxInFlight} before the stub acknowledges it. */
  static StubFlashRead of(EmulatedFlash flash, ReplyChannel replies, RomCommand command)
      throws RomCommandException {
    int[] words = command.words(4);
    long offset = Integer.toUnsignedLong(words[0]);
    long length = Integer.toUnsignedLong(words[1]);
    int packetSize = words[2];
    if (packetSize <= 0 || packetSize > MAX_PACKET) {
      throw new RomCommandException(
          RomError.INVALID_MESSAGE, "packets of %d bytes".formatted(packetSize));
    }
    FlashRange.require(flash, words[0], length, RomError.FLASH_READ);
    return new StubFlashRead(flash, replies, offset, length, packetSize);
  }

  /** Sends the first packet (or the digest of nothing). */
  void start() {
    sendNext();
  }

  /** A frame from the host while reading: its acknowledgement. */
  void received(byte[] frame) {
    if (finished) {
      return;
    }
    if (frame.length != 4) {
      finish();
      return;
    }
    long acknowledged =
        Integer.toUnsignedLong(ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt());
    if (acknowledged >= sent) {
      sendNext();
    }
  }

  boolean finished() {
    return finished;
  }

  private void sendNext() {
    if (position >= end) {
      finish();
      return;
    }
    int length = (int) Math.min(packetSize, end - position);
    byte[] packet = flash.read((int) position, length);
    md5.update(packet);
    position += length;
    sent += length;
    replies.sendFrame(packet);
  }

  private void finish() {
    finished = true;
    replies.sendFrame(md5.digest());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
