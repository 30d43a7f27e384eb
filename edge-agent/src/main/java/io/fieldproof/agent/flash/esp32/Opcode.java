package io.fieldproof.agent.flash.esp32;

/** The ESP32 ROM loader commands the agent sends. */
final class Opcode {

  static final int FLASH_BEGIN = 0x02;
  static final int FLASH_DATA = 0x03;
  static final int FLASH_END = 0x04;
  static final int SYNC = 0x08;
  static final int WRITE_REG = 0x09;
  static final int READ_REG = 0x0A;
  static final int SPI_SET_PARAMS = 0x0B;
  static final int SPI_ATTACH = 0x0D;
  static final int READ_FLASH_SLOW = 0x0E;
  static final int CHANGE_BAUDRATE = 0x0F;
  static final int FLASH_DEFL_BEGIN = 0x10;
  static final int FLASH_DEFL_DATA = 0x11;
  static final int SPI_FLASH_MD5 = 0x13;

  private Opcode() {}
}
