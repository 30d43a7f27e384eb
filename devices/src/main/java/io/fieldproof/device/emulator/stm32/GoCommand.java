package io.fieldproof.device.emulator.stm32;

/**
 * GO (0x21): an address in the main flash or SRAM; after the ACK the application runs and the
 * bootloader no longer listens on this connection.
 */
final class GoCommand implements Stm32Command {

  @Override
  public int code() {
    return 0x21;
  }

  @Override
  public Stage start(BootContext boot) {
    return boot.address(
        address -> boot.memory().executable(address) ? boot.leave(address) : boot.nack());
  }
}
