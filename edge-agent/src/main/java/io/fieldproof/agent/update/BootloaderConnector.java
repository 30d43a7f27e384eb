package io.fieldproof.agent.update;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.FlashException;

/** Opens a chip's bootloader on a line: resets the chip into it where the line allows. */
@FunctionalInterface
public interface BootloaderConnector {

  /**
   * Connects to the bootloader of a {@code chip} (wire name) at {@code uri}.
   *
   * @throws FlashException when it does not answer or is another chip
   */
  BootloaderSession connect(String uri, String chip) throws FlashException;
}
