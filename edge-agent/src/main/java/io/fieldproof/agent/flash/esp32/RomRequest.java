package io.fieldproof.agent.flash.esp32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;

/**
 * One command for the ROM loader: opcode, data, checksum (data blocks only), the length of the
 * result its reply carries before the status bytes, and how long the chip may work on it beyond
 * moving the bytes (erasing, writing, hashing flash).
 */
record RomRequest(int op, byte[] data, int checksum, int resultLength, Duration work) {

  static final int BLOCK = 0x400;
  static final int SLOW_READ = 64;
  static final int MD5_HEX = 32;
  private static final int CHECKSUM_SEED = 0xEF;
  private static final byte[] SYNC_DATA = syncData();

  /** Flash work rates for the answer deadlines: generous for NOR sector erase and page program. */
  private static final long ERASE_NANOS_PER_BYTE = 40_000_000_000L / (1 << 20);

  private static final long WRITE_NANOS_PER_BYTE = 20_000_000_000L / (1 << 20);
  private static final long MD5_NANOS_PER_BYTE = 8_000_000_000L / (1 << 20);

  /** The full command packet: {@code 00, op, size:u16, checksum:u32, data}. */
  byte[] packet() {
    return ByteBuffer.allocate(8 + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0)
        .put((byte) op)
        .putShort((short) data.length)
        .putInt(checksum)
        .put(data)
        .array();
  }

  static RomRequest sync() {
    return new RomRequest(Opcode.SYNC, SYNC_DATA.clone(), 0, 0, Duration.ZERO);
  }

  static RomRequest readReg(int address) {
    return simple(Opcode.READ_REG, address);
  }

  /** Writes each {@code address, value} pair with a full mask, in order, in one command. */
  static RomRequest writeRegs(int... addressValuePairs) {
    int[] words = new int[addressValuePairs.length * 2];
    for (int i = 0; i < addressValuePairs.length; i += 2) {
      words[2 * i] = addressValuePairs[i];
      words[2 * i + 1] = addressValuePairs[i + 1];
      words[2 * i + 2] = 0xFFFFFFFF;
      words[2 * i + 3] = 0;
    }
    return simple(Opcode.WRITE_REG, words);
  }

  /** SPI_ATTACH as the ESP32 ROM takes it: the pin configuration and a zero "legacy" word. */
  static RomRequest spiAttach(int pins) {
    return simple(Opcode.SPI_ATTACH, pins, 0);
  }

  static RomRequest spiSetParams(int flashSize) {
    return simple(Opcode.SPI_SET_PARAMS, 0, flashSize, 64 * 1024, 4 * 1024, 256, 0xFFFF);
  }

  /** CHANGE_BAUDRATE as the ROM takes it: the new rate and 0. */
  static RomRequest changeBaud(int baud) {
    return simple(Opcode.CHANGE_BAUDRATE, baud, 0);
  }

  /** FLASH_BEGIN or FLASH_DEFL_BEGIN: the ROM erases {@code eraseSize} bytes before it answers. */
  static RomRequest begin(int op, int eraseSize, int blocks, int address) {
    return new RomRequest(
        op, words(eraseSize, blocks, BLOCK, address), 0, 0, work(eraseSize, ERASE_NANOS_PER_BYTE));
  }

  /** FLASH_DATA or FLASH_DEFL_DATA: block {@code seq}, which writes {@code written} flash bytes. */
  static RomRequest block(int op, int seq, byte[] block, int written) {
    byte[] data =
        ByteBuffer.allocate(16 + block.length)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(block.length)
            .putInt(seq)
            .putInt(0)
            .putInt(0)
            .put(block)
            .array();
    return new RomRequest(op, data, checksum(block), 0, work(written, WRITE_NANOS_PER_BYTE));
  }

  /** FLASH_END: leaves the loader and runs the application ({@code 1}) rather than reboot. */
  static RomRequest runApplication() {
    return simple(Opcode.FLASH_END, 1);
  }

  static RomRequest md5(int address, int length) {
    return new RomRequest(
        Opcode.SPI_FLASH_MD5,
        words(address, length, 0, 0),
        0,
        MD5_HEX,
        work(length, MD5_NANOS_PER_BYTE));
  }

  static RomRequest readSlow(int address, int length) {
    return new RomRequest(
        Opcode.READ_FLASH_SLOW, words(address, length), 0, SLOW_READ, Duration.ZERO);
  }

  static int checksum(byte[] block) {
    int state = CHECKSUM_SEED;
    for (byte b : block) {
      state ^= b & 0xFF;
    }
    return state;
  }

  private static RomRequest simple(int op, int... words) {
    return new RomRequest(op, words(words), 0, 0, Duration.ZERO);
  }

  private static byte[] words(int... words) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int word : words) {
      buffer.putInt(word);
    }
    return buffer.array();
  }

  private static Duration work(long bytes, long nanosPerByte) {
    return Duration.ofNanos(bytes * nanosPerByte);
  }

  private static byte[] syncData() {
    byte[] data = new byte[36];
    data[0] = 0x07;
    data[1] = 0x07;
    data[2] = 0x12;
    data[3] = 0x20;
    Arrays.fill(data, 4, data.length, (byte) 0x55);
    return data;
  }
}
