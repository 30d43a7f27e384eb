package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The flash queries of the ROM: SPI_FLASH_MD5 (the digest as 32 lower-case hex characters, the way
 * the ESP32 ROM sends it; the stub sends the 16 raw bytes) and READ_FLASH_SLOW (up to 64 bytes,
 * always in a 64-byte reply).
 */
final class FlashReads {

  static final int SLOW_READ_BLOCK = 64;

  private final EmulatedFlash flash;
  private final FlashAttachment attachment;

  /** The flash queries of the stub, which attached the flash when it started. */
  static FlashReads attached(EmulatedFlash flash) {
    FlashAttachment always = new FlashAttachment();
    always.attachedAtStart();
    return new FlashReads(flash, always);
  }

  FlashReads(EmulatedFlash flash, FlashAttachment attachment) {
    this.flash = flash;
    this.attachment = attachment;
  }

  RomReply md5(RomCommand command) throws RomCommandException {
    attachment.requireAttached();
    byte[] digest = digest(command);
    return RomReply.body(
        command.op(), HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII));
  }

  /** SPI_FLASH_MD5 as the flasher stub answers it: the 16 raw digest bytes. */
  RomReply rawMd5(RomCommand command) throws RomCommandException {
    return RomReply.body(command.op(), digest(command));
  }

  private byte[] digest(RomCommand command) throws RomCommandException {
    int[] words = command.words(4);
    int offset = words[0];
    long length = Integer.toUnsignedLong(words[1]);
    FlashRange.require(flash, offset, length, RomError.FLASH_READ);
    return md5().digest(flash.read(offset, (int) length));
  }

  RomReply readSlow(RomCommand command) throws RomCommandException {
    attachment.requireAttached();
    int[] words = command.words(2);
    int offset = words[0];
    int length = words[1];
    if (length < 0 || length > SLOW_READ_BLOCK) {
      throw new RomCommandException(
          RomError.READ_LENGTH,
          "reads at most %d bytes, not %d".formatted(SLOW_READ_BLOCK, length));
    }
    FlashRange.require(flash, offset, length, RomError.FLASH_READ);
    return RomReply.body(command.op(), Arrays.copyOf(flash.read(offset, length), SLOW_READ_BLOCK));
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
