package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;

/**
 * The SPI_ATTACH argument an ESP32 needs: zero for the default flash pins, or the pins its eFuses
 * name (chips with in-package flash), packed as {@code hd << 24 | cs << 18 | d << 12 | q << 6 |
 * clk}. The pins sit in eFuse words 5 (clk, q, d, cs) and 3 (hd).
 */
final class SpiPads {

  static final int EFUSE_WORD3 = 0x3FF5A00C;
  static final int EFUSE_WORD5 = 0x3FF5A014;
  private static final int PIN = 0x1F;

  private SpiPads() {}

  static int attachArgument(RomChannel channel) throws FlashException {
    int word5 = channel.call(RomRequest.readReg(EFUSE_WORD5)).value();
    int word3 = channel.call(RomRequest.readReg(EFUSE_WORD3)).value();
    int clk = word5 & PIN;
    int q = (word5 >>> 5) & PIN;
    int d = (word5 >>> 10) & PIN;
    int cs = (word5 >>> 15) & PIN;
    int hd = (word3 >>> 4) & PIN;
    return hd << 24 | cs << 18 | d << 12 | q << 6 | clk;
  }
}
