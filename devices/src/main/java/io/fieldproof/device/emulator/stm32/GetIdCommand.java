package io.fieldproof.device.emulator.stm32;

/** GET_ID (0x02): the product id in two bytes, big-endian. */
final class GetIdCommand implements Stm32Command {

  @Override
  public int code() {
    return 0x02;
  }

  @Override
  public Stage start(BootContext boot) {
    int pid = boot.chip().pid();
    boot.send((byte) 1, (byte) (pid >> 8), (byte) pid, (byte) An3155.ACK);
    return boot.idle();
  }
}
