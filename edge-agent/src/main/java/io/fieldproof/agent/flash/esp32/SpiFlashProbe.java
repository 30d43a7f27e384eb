package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;

/**
 * Reads the SPI flash's JEDEC id (command 0x9F) through the ESP32's SPI0 controller and derives the
 * flash size from its capacity byte ({@code 0x16} = 4 MB). The controller setup goes out as one
 * WRITE_REG of five register writes, and USR/USR2 are put back afterwards for the ROM.
 */
final class SpiFlashProbe {

  private static final int BASE = 0x3FF42000;
  private static final int CMD = BASE;
  private static final int USR = BASE + 0x1C;
  private static final int USR2 = BASE + 0x24;
  private static final int MISO_DLEN = BASE + 0x2C;
  private static final int W0 = BASE + 0x80;
  private static final int CMD_USR = 1 << 18;
  private static final int USR_COMMAND = 1 << 31;
  private static final int USR_MISO = 1 << 28;
  private static final int COMMAND_BITS_8 = 7 << 28;
  private static final int READ_ID = 0x9F;
  private static final int ID_BITS = 24;
  private static final int POLLS = 10;
  private static final int SMALLEST_CAPACITY = 0x12;
  private static final int LARGEST_CAPACITY = 0x1A;

  private SpiFlashProbe() {}

  /** The flash size in bytes, or {@code fallback} when the id names no size this knows. */
  static int flashSize(RomChannel channel, int fallback) throws FlashException {
    int capacity = (jedecId(channel) >>> 16) & 0xFF;
    return capacity >= SMALLEST_CAPACITY && capacity <= LARGEST_CAPACITY ? 1 << capacity : fallback;
  }

  static int jedecId(RomChannel channel) throws FlashException {
    int usr = channel.call(RomRequest.readReg(USR)).value();
    int usr2 = channel.call(RomRequest.readReg(USR2)).value();
    channel.call(
        RomRequest.writeRegs(
            MISO_DLEN,
            ID_BITS - 1,
            USR,
            USR_COMMAND | USR_MISO,
            USR2,
            COMMAND_BITS_8 | READ_ID,
            W0,
            0,
            CMD,
            CMD_USR));
    awaitDone(channel);
    int id = channel.call(RomRequest.readReg(W0)).value() & 0xFFFFFF;
    channel.call(RomRequest.writeRegs(USR, usr, USR2, usr2));
    return id;
  }

  private static void awaitDone(RomChannel channel) throws FlashException {
    for (int i = 0; i < POLLS; i++) {
      if ((channel.call(RomRequest.readReg(CMD)).value() & CMD_USR) == 0) {
        return;
      }
    }
    throw new FlashException(FlashFailure.TIMEOUT, "the SPI flash did not answer its id");
  }
}
