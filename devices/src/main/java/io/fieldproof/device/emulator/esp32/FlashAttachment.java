package io.fieldproof.device.emulator.esp32;

/**
 * Whether the loader has attached its SPI flash (SPI_ATTACH). In download mode the ESP32 ROM leaves
 * the flash pins unconfigured, so flash commands fail until the host attaches the flash. The flash
 * parameters of SPI_SET_PARAMS are checked for shape and otherwise taken as given: the emulated
 * flash knows its size.
 */
final class FlashAttachment {

  private boolean attached;

  RomReply attach(RomCommand command) throws RomCommandException {
    command.words(2);
    attached = true;
    return RomReply.ok(command.op());
  }

  RomReply setParams(RomCommand command) throws RomCommandException {
    command.words(6);
    return RomReply.ok(command.op());
  }

  /** The flash is attached from the start (the stub attaches it when it starts). */
  void attachedAtStart() {
    attached = true;
  }

  /** A reset: the ROM starts again with its flash pins unconfigured. */
  void detach() {
    attached = false;
  }

  void requireAttached() throws RomCommandException {
    if (!attached) {
      throw new RomCommandException(RomError.FAILED_TO_ACT, "the SPI flash is not attached");
    }
  }
}
