package io.fieldproof.device.emulator.stm32;

import java.util.Arrays;

/**
 * WRITE_MEMORY (0x31): a word-aligned address in the main flash, then {@code N-1}, N bytes and the
 * XOR of all of them. N must be a multiple of 4 and the range must stay in the flash; a bad
 * checksum writes nothing. The flash is NOR: a write only clears bits.
 */
final class WriteMemoryCommand implements Stm32Command {

  private static final int WORD = 4;

  @Override
  public int code() {
    return 0x31;
  }

  @Override
  public Stage start(BootContext boot) {
    return boot.address(
        address ->
            address % WORD == 0 && boot.memory().inFlash(address, WORD)
                ? boot.ackThen(new Stage(1, count -> data(boot, address, count[0] & 0xFF)))
                : boot.nack());
  }

  private static Stage data(BootContext boot, long address, int countMinusOne) {
    int count = countMinusOne + 1;
    return new Stage(
        count + 1,
        bytes -> {
          int checksum = countMinusOne ^ An3155.xor(bytes, 0, count);
          if (checksum != (bytes[count] & 0xFF)
              || count % WORD != 0
              || !boot.memory().inFlash(address, count)) {
            return boot.nack();
          }
          boot.memory().program(address, Arrays.copyOf(bytes, count));
          boot.ack();
          return boot.idle();
        });
  }
}
