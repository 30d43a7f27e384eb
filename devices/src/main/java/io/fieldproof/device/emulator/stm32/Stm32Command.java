package io.fieldproof.device.emulator.stm32;

/** One bootloader command, run after its code and complement were received and acknowledged. */
interface Stm32Command {

  /** The command code. */
  int code();

  /** Starts the command; returns the step that waits for its next bytes, or the idle step. */
  Stage start(BootContext boot);
}
