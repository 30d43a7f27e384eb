package io.fieldproof.device.emulator.stm32;

/**
 * READ_MEMORY (0x11): an address (NACK unless readable), then {@code N-1} and its complement (NACK
 * unless all N bytes are readable), then N bytes of memory with no ACK after them.
 */
final class ReadMemoryCommand implements Stm32Command {

  @Override
  public int code() {
    return 0x11;
  }

  @Override
  public Stage start(BootContext boot) {
    return boot.address(
        address ->
            boot.memory().readable(address, 1) ? boot.ackThen(length(boot, address)) : boot.nack());
  }

  private static Stage length(BootContext boot, long address) {
    return new Stage(
        2,
        bytes -> {
          int count = (bytes[0] & 0xFF) + 1;
          if (!An3155.complements(bytes[0], bytes[1]) || !boot.memory().readable(address, count)) {
            return boot.nack();
          }
          boot.ack();
          boot.send(boot.memory().read(address, count));
          return boot.idle();
        });
  }
}
