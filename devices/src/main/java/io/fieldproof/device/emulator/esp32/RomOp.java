package io.fieldproof.device.emulator.esp32;

import java.util.Optional;

/**
 * The commands of the ESP32 serial ROM loader and of esptool's flasher stub that the emulator
 * knows, by opcode. The 0xD0 group exists only once the stub runs.
 */
enum RomOp {
  FLASH_BEGIN(0x02),
  FLASH_DATA(0x03),
  FLASH_END(0x04),
  MEM_BEGIN(0x05),
  MEM_END(0x06),
  MEM_DATA(0x07),
  SYNC(0x08),
  WRITE_REG(0x09),
  READ_REG(0x0A),
  SPI_SET_PARAMS(0x0B),
  SPI_ATTACH(0x0D),
  READ_FLASH_SLOW(0x0E),
  CHANGE_BAUDRATE(0x0F),
  FLASH_DEFL_BEGIN(0x10),
  FLASH_DEFL_DATA(0x11),
  FLASH_DEFL_END(0x12),
  SPI_FLASH_MD5(0x13),
  GET_SECURITY_INFO(0x14),
  ERASE_FLASH(0xD0),
  ERASE_REGION(0xD1),
  READ_FLASH(0xD2),
  RUN_USER_CODE(0xD3);

  private final int code;

  RomOp(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  static Optional<RomOp> of(int code) {
    for (RomOp op : values()) {
      if (op.code == code) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
