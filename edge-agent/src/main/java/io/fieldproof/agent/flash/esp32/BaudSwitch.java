package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.io.IOException;

/**
 * Moves the line to a faster baud rate with CHANGE_BAUDRATE. The ESP32 ROM derives its UART clock
 * from its own crystal estimate (RTC calibration times the 8 MHz oscillator factor in eFuse word
 * 4), so the rate asked for is scaled by estimate / nominal crystal when the estimate is within a
 * quarter of a nominal crystal. The loader answers at the old rate; then both ends switch.
 */
final class BaudSwitch {

  static final int RTC_CALIBRATION = 0x3FF5F06C;
  static final int EFUSE_WORD4 = 0x3FF5A010;
  private static final int CALIBRATION_SHIFT = 7;
  private static final int CALIBRATION_MASK = 0x01FFFFFF;
  private static final long CRYSTAL_40M = 40_000_000L;
  private static final long CRYSTAL_26M = 26_000_000L;
  private static final long CRYSTAL_THRESHOLD = 33_000_000L;

  private BaudSwitch() {}

  static void run(RomChannel channel, int baud) throws FlashException {
    long estimate = romCrystalEstimate(channel);
    long nominal = estimate > CRYSTAL_THRESHOLD ? CRYSTAL_40M : CRYSTAL_26M;
    boolean plausible = Math.abs(estimate - nominal) * 4 < nominal;
    long romBaud = plausible ? baud * estimate / nominal : baud;
    channel.call(RomRequest.changeBaud((int) romBaud), 1);
    try {
      channel.line().changeBaud(baud);
    } catch (IOException e) {
      throw new FlashException(
          FlashFailure.LINK_LOST, "could not set " + channel.line() + " to " + baud + " baud", e);
    }
    channel.baud(baud);
    channel.settle();
  }

  private static long romCrystalEstimate(RomChannel channel) throws FlashException {
    int calibration =
        (channel.call(RomRequest.readReg(RTC_CALIBRATION)).value() >>> CALIBRATION_SHIFT)
            & CALIBRATION_MASK;
    int oscillatorFactor = channel.call(RomRequest.readReg(EFUSE_WORD4)).value() & 0xFF;
    return calibration * 15_625L * oscillatorFactor / 40;
  }
}
