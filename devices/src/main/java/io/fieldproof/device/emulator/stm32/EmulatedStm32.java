package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import java.io.IOException;

/** An emulated STM32 in its USART bootloader, served on a local TCP port like a serial bridge. */
public final class EmulatedStm32 implements AutoCloseable {

  private static final byte[] UID = {
    0x35, 0x00, 0x2D, 0x00, 0x0B, 0x51, 0x34, 0x33, 0x37, 0x32, 0x38, 0x39
  };

  private final Stm32Chip chip;
  private final EmulatedFlash flash;
  private final Stm32BootCounters counters = new Stm32BootCounters();
  private final LineServer server;

  private EmulatedStm32(Stm32Chip chip, LineSettings settings) throws IOException {
    this.chip = chip;
    this.flash = new EmulatedFlash(chip.sectors());
    this.server =
        LineServer.start(0, settings, Stm32Bootloader.factory(chip, flash, UID, counters));
  }

  public static EmulatedStm32 start(Stm32Chip chip, LineSettings settings) throws IOException {
    return new EmulatedStm32(chip, settings);
  }

  /** A perfect 8E1 line paced at {@code baud}. */
  public static LineSettings line(int baud) {
    return LineSettings.ideal().withBaud(baud).withBitsPerByte(11);
  }

  public Stm32Chip chip() {
    return chip;
  }

  public EmulatedFlash flash() {
    return flash;
  }

  public Stm32BootCounters counters() {
    return counters;
  }

  public LineServer server() {
    return server;
  }

  /** The bytes at a bus address of the main flash. */
  public byte[] flashAt(long address, int length) {
    return flash.read((int) (address - Stm32Chip.FLASH_BASE), length);
  }

  @Override
  public void close() {
    server.close();
  }
}
