package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.FlashProgress;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A session with an ESP32's serial ROM loader (no stub): connects with SYNC, checks the chip,
 * attaches the SPI flash, sizes it from its JEDEC id and may raise the baud rate; then writes
 * (compressed unless that is longer, 0x400-byte blocks, each retried alone), verifies with the
 * ROM's MD5 of the flash, and reads 64 bytes per command. Addresses are SPI flash offsets. The line
 * stays the caller's to close.
 */
public final class EspRomSession implements BootloaderSession {

  private static final System.Logger LOG = System.getLogger(EspRomSession.class.getName());
  private static final int SECTOR = 4096;

  private final RomChannel channel;
  private final EspRomOptions options;
  private final int flashSize;

  private EspRomSession(RomChannel channel, EspRomOptions options, int flashSize) {
    this.channel = channel;
    this.options = options;
    this.flashSize = flashSize;
  }

  /**
   * Connects to the ROM loader on {@code line}, which must have just been reset into download mode.
   *
   * @throws FlashException {@code NO_SYNC} when nothing answers like a ROM loader, {@code
   *     WRONG_CHIP} when it is not an ESP32, or what the setup commands failed with
   */
  public static EspRomSession connect(ByteLine line, EspRomOptions options) throws FlashException {
    RomChannel channel = new RomChannel(line, options);
    RomSync.run(channel, options.syncAttempts());
    ChipCheck.requireEsp32(channel);
    channel.call(RomRequest.spiAttach(SpiPads.attachArgument(channel)));
    int flashSize = SpiFlashProbe.flashSize(channel, options.fallbackFlashSize());
    channel.call(RomRequest.spiSetParams(flashSize));
    if (options.baud() > options.romBaud()) {
      BaudSwitch.run(channel, options.baud());
    }
    LOG.log(Level.DEBUG, "ESP32 ROM loader on {0}: {1} bytes of flash", line, flashSize);
    return new EspRomSession(channel, options, flashSize);
  }

  @Override
  public String chip() {
    return "esp32";
  }

  /** The flash size the chip's JEDEC id gave (or the fallback of the options). */
  public int flashSize() {
    return flashSize;
  }

  @Override
  public byte[] read(long address, int length) throws FlashException {
    int start = checkRange(address, length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    for (int offset = 0; offset < length; offset += RomRequest.SLOW_READ) {
      int chunk = Math.min(RomRequest.SLOW_READ, length - offset);
      out.write(channel.call(RomRequest.readSlow(start + offset, chunk)).result(), 0, chunk);
    }
    return out.toByteArray();
  }

  @Override
  public void write(long address, byte[] data, FlashProgress progress) throws FlashException {
    int start = checkRange(address, data.length);
    if (start % SECTOR != 0) {
      throw new FlashException(
          FlashFailure.OUT_OF_RANGE, "0x%x does not start a 4 KiB sector".formatted(start));
    }
    if (data.length == 0) {
      return;
    }
    FlashImage image = options.compress() ? FlashImage.smallest(data) : FlashImage.plain(data);
    ImageUpload.run(channel, image, start, progress);
  }

  @Override
  public void verify(long address, byte[] data) throws FlashException {
    int start = checkRange(address, data.length);
    byte[] answer = channel.call(RomRequest.md5(start, data.length)).result();
    String flashDigest = new String(answer, StandardCharsets.US_ASCII);
    String expected = HexFormat.of().formatHex(md5(data));
    if (!flashDigest.equals(expected)) {
      throw new FlashException(
          FlashFailure.VERIFY_MISMATCH,
          "flash MD5 at 0x%x is %s, the image's %s".formatted(start, flashDigest, expected));
    }
  }

  /**
   * Leaves the loader for the application (FLASH_BEGIN of nothing, then FLASH_END "run"), once and
   * without waiting long: the chip may already be gone.
   */
  @Override
  public void close() {
    try {
      channel.call(RomRequest.begin(Opcode.FLASH_BEGIN, 0, 0, 0), 1);
      channel.call(RomRequest.runApplication(), 1);
    } catch (FlashException e) {
      LOG.log(Level.DEBUG, "leaving the loader on {0} failed: {1}", channel.line(), e.getMessage());
    }
  }

  private int checkRange(long address, int length) throws FlashException {
    if (address < 0 || length < 0 || address + length > flashSize) {
      throw new FlashException(
          FlashFailure.OUT_OF_RANGE,
          "0x%x+%d lies outside the %d-byte flash".formatted(address, length, flashSize));
    }
    return (int) address;
  }

  private static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }
}
