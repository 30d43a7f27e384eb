package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import java.io.ByteArrayOutputStream;

/**
 * One emulated bootloader driven without sockets: bytes go straight into its {@link LineProtocol}
 * and its answers collect in memory.
 */
final class BootloaderHarness implements LinePort {

  static final byte[] UID = {
    0x10,
    0x20,
    0x30,
    0x40,
    0x50,
    0x60,
    0x70,
    (byte) 0x80,
    (byte) 0x90,
    (byte) 0xA0,
    (byte) 0xB0,
    (byte) 0xC0
  };

  final Stm32Chip chip;
  final EmulatedFlash flash;
  final Stm32BootCounters counters = new Stm32BootCounters();
  private final LineProtocol protocol;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

  BootloaderHarness(Stm32Chip chip) {
    this.chip = chip;
    this.flash = new EmulatedFlash(chip.sectors());
    this.protocol = Stm32Bootloader.factory(chip, flash, UID, counters).apply(this);
  }

  /** A bootloader that already answered the sync byte. */
  static BootloaderHarness synced(Stm32Chip chip) {
    BootloaderHarness harness = new BootloaderHarness(chip);
    harness.write(0x7F);
    harness.reply();
    return harness;
  }

  /** The host writes {@code bytes}. */
  void write(int... bytes) {
    byte[] data = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (byte) bytes[i];
    }
    write(data);
  }

  void write(byte[] data) {
    protocol.received(data, 0, data.length);
  }

  /** Sends a command code and its complement. */
  void command(int code) {
    write(code, code ^ 0xFF);
  }

  /** Sends an address, big-endian, and its XOR. */
  void address(long address) {
    int b0 = (int) (address >>> 24) & 0xFF;
    int b1 = (int) (address >>> 16) & 0xFF;
    int b2 = (int) (address >>> 8) & 0xFF;
    int b3 = (int) address & 0xFF;
    write(b0, b1, b2, b3, b0 ^ b1 ^ b2 ^ b3);
  }

  /** What the bootloader answered since the last call, as unsigned values. */
  int[] reply() {
    byte[] bytes = sent.toByteArray();
    sent.reset();
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      values[i] = bytes[i] & 0xFF;
    }
    return values;
  }

  @Override
  public void send(byte[] bytes) {
    sent.writeBytes(bytes);
  }

  @Override
  public void changeBaud(int baud) {
    throw new UnsupportedOperationException("the STM32 bootloader keeps its auto-detected baud");
  }

  @Override
  public int baud() {
    return 0;
  }
}
