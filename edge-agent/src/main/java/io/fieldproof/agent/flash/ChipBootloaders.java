package io.fieldproof.agent.flash;

import io.fieldproof.agent.flash.esp32.EspRomOptions;
import io.fieldproof.agent.flash.esp32.EspRomSession;
import io.fieldproof.agent.flash.stm32.Stm32BootOptions;
import io.fieldproof.agent.flash.stm32.Stm32BootSession;
import io.fieldproof.agent.update.BootloaderConnector;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens the right bootloader for a chip on a line: the ESP32 serial ROM loader (switching to a
 * faster baud rate after the sync, compressed writes) or the STM32 USART bootloader. The session it
 * returns closes the line when it is closed, after the chip was told to run its firmware.
 */
public final class ChipBootloaders implements BootloaderConnector {

  private final EspRomOptions esp;
  private final Stm32BootOptions stm32;
  private final Duration connectTimeout;

  /**
   * @param esp how to talk to ESP32 ROM loaders (the speed writes run at, retries, timeouts)
   * @param stm32 how to talk to STM32 bootloaders
   * @param connectTimeout how long opening a line may take
   */
  public ChipBootloaders(EspRomOptions esp, Stm32BootOptions stm32, Duration connectTimeout) {
    this.esp = esp;
    this.stm32 = stm32;
    this.connectTimeout = connectTimeout;
  }

  /** 921600 baud for ESP32 writes, 115200 for STM32 lines, 5 s to open a line. */
  public static ChipBootloaders defaults() {
    return new ChipBootloaders(
        EspRomOptions.defaults().withBaud(921_600),
        Stm32BootOptions.at(115_200),
        Duration.ofSeconds(5));
  }

  @Override
  public BootloaderSession connect(String uri, String chip) throws FlashException {
    ByteLine line;
    try {
      line = ByteLine.open(uri, connectTimeout);
    } catch (IOException e) {
      throw new FlashException(FlashFailure.LINK_LOST, "opening " + uri + ": " + e.getMessage(), e);
    }
    try {
      BootloaderSession session = open(line, chip);
      if (!session.chip().equals(chip)) {
        session.close();
        throw new FlashException(
            FlashFailure.WRONG_CHIP, uri + " holds a " + session.chip() + ", not a " + chip);
      }
      return new LineClosing(session, line);
    } catch (FlashException | RuntimeException e) {
      line.close();
      throw e;
    }
  }

  private BootloaderSession open(ByteLine line, String chip) throws FlashException {
    if (chip.startsWith("esp32")) {
      return EspRomSession.connect(line, esp);
    }
    if (chip.startsWith("stm32")) {
      return Stm32BootSession.connect(line, stm32);
    }
    throw new FlashException(FlashFailure.UNSUPPORTED, "no bootloader is known for chip " + chip);
  }

  /** A session that also closes its line. */
  private record LineClosing(BootloaderSession session, ByteLine line)
      implements BootloaderSession {

    @Override
    public String chip() {
      return session.chip();
    }

    @Override
    public byte[] read(long address, int length) throws FlashException {
      return session.read(address, length);
    }

    @Override
    public void write(long address, byte[] data, FlashProgress progress) throws FlashException {
      session.write(address, data, progress);
    }

    @Override
    public void verify(long address, byte[] data) throws FlashException {
      session.verify(address, data);
    }

    @Override
    public void close() {
      try {
        session.close();
      } finally {
        line.close();
      }
    }
  }
}
