package io.fieldproof.device.emulator;

import io.fieldproof.device.emulator.esp32.EspRomLoader;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.emulator.stm32.Stm32Bootloader;
import io.fieldproof.device.emulator.stm32.Stm32Chip;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The ROM bootloader of an emulated device, on the device's own flash: the ESP32 serial ROM loader
 * or the STM32 USART bootloader (AN3155), wrapped so that a host connecting resets the chip into it
 * and leaving resets it into the firmware.
 */
public final class DeviceBootloaders {

  private DeviceBootloaders() {}

  /** The bootloader protocol of {@code emulator}'s chip. */
  public static Function<LinePort, LineProtocol> of(DeviceEmulator emulator) {
    byte[] hardwareId = HexFormat.of().parseHex(emulator.deviceId().substring(6));
    Function<LinePort, LineProtocol> rom =
        switch (emulator.chip()) {
          case ESP32 -> EspRomLoader.factory(emulator.flash(), hardwareId);
          case STM32F4 ->
              Stm32Bootloader.factory(Stm32Chip.stm32f4(), emulator.flash(), hardwareId);
          case STM32L4 ->
              Stm32Bootloader.factory(Stm32Chip.stm32l4(), emulator.flash(), hardwareId);
          case ESP32S3 ->
              throw new IllegalArgumentException(
                  "the ROM loader of the esp32s3 is not emulated; use an esp32");
        };
    return emulator.resettingInto(rom);
  }

  /**
   * Serves {@code emulator}'s bootloader on {@code address:port} (0 picks a free port), at the line
   * settings given; STM32 lines use 8E1 framing (11 bits per byte).
   */
  public static LineServer serve(
      DeviceEmulator emulator, InetAddress address, int port, LineSettings settings)
      throws IOException {
    LineSettings line =
        emulator.chip().family() == Chip.Family.STM32 ? settings.withBitsPerByte(11) : settings;
    return LineServer.start(address, port, line, of(emulator));
  }
}
