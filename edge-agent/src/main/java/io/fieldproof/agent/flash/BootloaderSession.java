package io.fieldproof.agent.flash;

/**
 * A connected chip bootloader (the ESP32 serial ROM loader, the STM32 USART bootloader): reads,
 * erases and writes flash by bus address, and verifies what it wrote by reading a digest or the
 * bytes back. Addresses are the bootloader's: SPI flash offsets on an ESP32, {@code 0x08000000} and
 * up on an STM32. Not thread-safe: one session per line.
 */
public interface BootloaderSession extends AutoCloseable {

  /** The chip the bootloader identified, as its wire name ({@code esp32}, {@code stm32f4}...). */
  String chip();

  /** Reads {@code length} bytes at {@code address}. */
  byte[] read(long address, int length) throws FlashException;

  /**
   * Erases the erase units that {@code [address, address + data.length)} touches, then writes
   * {@code data} there. {@code address} must start an erase unit.
   */
  void write(long address, byte[] data, FlashProgress progress) throws FlashException;

  /** Checks that flash at {@code address} holds {@code data} (digest or read-back). */
  void verify(long address, byte[] data) throws FlashException;

  /** Leaves the bootloader; the chip runs its application again where the link allows it. */
  @Override
  void close();
}
