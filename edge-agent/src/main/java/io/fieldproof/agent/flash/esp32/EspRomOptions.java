package io.fieldproof.agent.flash.esp32;

import java.time.Duration;

/**
 * How the agent talks to an ESP32 ROM loader.
 *
 * @param romBaud the speed the loader syncs at (115200 after a reset into download mode)
 * @param baud the speed to flash at; above {@code romBaud} the session asks the loader to switch
 * @param compress send compressed blocks (FLASH_DEFL_*) when that is shorter than the image
 * @param syncAttempts SYNC commands sent before giving up with {@code NO_SYNC}
 * @param attempts tries per command or block before its failure is reported
 * @param replyTimeout the loader's answer time on top of the line time and the flash work
 * @param fallbackFlashSize the flash size assumed when the chip's JEDEC id gives none
 */
public record EspRomOptions(
    int romBaud,
    int baud,
    boolean compress,
    int syncAttempts,
    int attempts,
    Duration replyTimeout,
    int fallbackFlashSize) {

  public static final int ROM_BAUD = 115_200;

  public EspRomOptions {
    if (romBaud <= 0 || baud <= 0) {
      throw new IllegalArgumentException("baud rates must be positive");
    }
    if (syncAttempts < 1 || attempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
    if (replyTimeout.isNegative() || replyTimeout.isZero()) {
      throw new IllegalArgumentException("the reply timeout must be positive");
    }
    if (fallbackFlashSize <= 0) {
      throw new IllegalArgumentException("the fallback flash size must be positive");
    }
  }

  /**
   * 115200 baud throughout, compressed, 10 SYNCs, 6 tries per command or block (a 1 KiB block has
   * its checksum broken often on a noisy line, and a try costs one block time), 500 ms answers, 4
   * MB when the JEDEC id says nothing.
   */
  public static EspRomOptions defaults() {
    return new EspRomOptions(
        ROM_BAUD, ROM_BAUD, true, 10, 6, Duration.ofMillis(500), 4 * 1024 * 1024);
  }

  public EspRomOptions withBaud(int newBaud) {
    return new EspRomOptions(
        romBaud, newBaud, compress, syncAttempts, attempts, replyTimeout, fallbackFlashSize);
  }

  public EspRomOptions withCompress(boolean newCompress) {
    return new EspRomOptions(
        romBaud, baud, newCompress, syncAttempts, attempts, replyTimeout, fallbackFlashSize);
  }

  public EspRomOptions withAttempts(int newSyncAttempts, int newAttempts) {
    return new EspRomOptions(
        romBaud, baud, compress, newSyncAttempts, newAttempts, replyTimeout, fallbackFlashSize);
  }

  public EspRomOptions withReplyTimeout(Duration newReplyTimeout) {
    return new EspRomOptions(
        romBaud, baud, compress, syncAttempts, attempts, newReplyTimeout, fallbackFlashSize);
  }
}
