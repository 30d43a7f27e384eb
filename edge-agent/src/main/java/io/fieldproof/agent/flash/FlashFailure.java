package io.fieldproof.agent.flash;

/**
 * Why a bootloader operation failed, as a reason code, and whether trying again may help
 * (transient: the line, a timeout) or not (permanent: wrong chip, out of range, refused).
 */
public enum FlashFailure {
  /** The bootloader never answered the sync sequence. */
  NO_SYNC(true),
  /** An answer did not come in time. */
  TIMEOUT(true),
  /** The line closed or broke. */
  LINK_LOST(true),
  /** A frame or answer could not be understood (noise on the line). */
  GARBLED(true),
  /** The bootloader refused a command (NACK or an error status). */
  REFUSED(true),
  /** What was read back differs from what was written. */
  VERIFY_MISMATCH(true),
  /** The chip is not the one expected. */
  WRONG_CHIP(false),
  /** The address range lies outside the flash or is misaligned. */
  OUT_OF_RANGE(false),
  /** The bootloader lacks a command this operation needs, or flash is read-protected. */
  UNSUPPORTED(false),
  /** The device cannot load or run the model (not int8 TFLite, does not fit its runtime). */
  MODEL_REJECTED(false);

  private final boolean transientFailure;

  FlashFailure(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  /** Whether the same operation may succeed when tried again. */
  public boolean isTransient() {
    return transientFailure;
  }
}
