package io.fieldproof.device.emulator.stm32;

import java.util.function.Function;

/**
 * One step of the bootloader: it waits for {@code length} bytes from the host, then its handler
 * answers them and names the next step.
 */
record Stage(int length, Function<byte[], Stage> handler) {

  Stage {
    if (length <= 0) {
      throw new IllegalArgumentException("a step waits for at least one byte");
    }
  }

  Stage accept(byte[] bytes) {
    return handler.apply(bytes);
  }
}
