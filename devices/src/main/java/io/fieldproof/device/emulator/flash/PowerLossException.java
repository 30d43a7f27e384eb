package io.fieldproof.device.emulator.flash;

/** The power went at the injected byte: the write stopped there, as on a real chip. */
public final class PowerLossException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PowerLossException(long atByte) {
    super("power lost after " + atByte + " bytes written");
  }
}
