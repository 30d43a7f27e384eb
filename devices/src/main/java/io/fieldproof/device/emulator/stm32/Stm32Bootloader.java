package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.PowerLossException;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import java.util.List;
import java.util.function.Function;

/**
 * The STM32 USART bootloader (ST AN3155) of an emulated chip, right after reset with BOOT0 high: it
 * waits for 0x7F, then runs GET, GET_VERSION, GET_ID, READ_MEMORY, WRITE_MEMORY, EXTENDED_ERASE and
 * GO over an {@link EmulatedFlash}. Unknown commands, bad complements, checksums and addresses get
 * a NACK and are counted; the protection commands are not offered and get a NACK too. After GO, or
 * when the power is cut during a write, it stays silent until the next connection (a reset). The
 * line is 8E1: serve it with {@code LineSettings.withBitsPerByte(11)}.
 */
public final class Stm32Bootloader implements LineProtocol {

  private static final List<Stm32Command> COMMANDS =
      List.of(
          new GetCommand(),
          new GetVersionCommand(),
          new GetIdCommand(),
          new ReadMemoryCommand(),
          new GoCommand(),
          new WriteMemoryCommand(),
          new ExtendedEraseCommand());

  private final BootContext boot;
  private final Stm32BootCounters counters;
  private Stage stage;
  private byte[] buffer;
  private int filled;
  private boolean powerLost;

  private Stm32Bootloader(BootContext boot, Stm32BootCounters counters) {
    this.boot = boot;
    this.counters = counters;
    enter(boot.sync());
  }

  /**
   * A fresh bootloader per connection, for {@code LineServer.start}.
   *
   * @param flash the chip's main flash, over {@code chip.sectors()}
   * @param uid the 96-bit unique id (12 bytes) that system memory holds
   */
  public static Function<LinePort, LineProtocol> factory(
      Stm32Chip chip, EmulatedFlash flash, byte[] uid) {
    return factory(chip, flash, uid, new Stm32BootCounters());
  }

  /** As {@link #factory(Stm32Chip, EmulatedFlash, byte[])}, counting into {@code counters}. */
  public static Function<LinePort, LineProtocol> factory(
      Stm32Chip chip, EmulatedFlash flash, byte[] uid, Stm32BootCounters counters) {
    Stm32Memory memory = new Stm32Memory(chip, flash, uid.clone());
    return port ->
        new Stm32Bootloader(new BootContext(port, chip, memory, counters, COMMANDS), counters);
  }

  @Override
  public void received(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length && !powerLost && !boot.left(); i++) {
      feed(data[i]);
    }
  }

  private void feed(byte value) {
    buffer[filled++] = value;
    if (filled < buffer.length) {
      return;
    }
    try {
      enter(stage.accept(buffer));
    } catch (PowerLossException e) {
      powerLost = true;
      counters.powerLost();
    }
  }

  private void enter(Stage next) {
    stage = next;
    buffer = new byte[next.length()];
    filled = 0;
  }
}
