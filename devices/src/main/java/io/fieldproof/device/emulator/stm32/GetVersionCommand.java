package io.fieldproof.device.emulator.stm32;

/**
 * GET_VERSION (0x01): the protocol version and two option bytes, both zero (read protection
 * disabled, no read-protection requests counted).
 */
final class GetVersionCommand implements Stm32Command {

  @Override
  public int code() {
    return 0x01;
  }

  @Override
  public Stage start(BootContext boot) {
    boot.send((byte) An3155.VERSION, (byte) 0, (byte) 0, (byte) An3155.ACK);
    return boot.idle();
  }
}
