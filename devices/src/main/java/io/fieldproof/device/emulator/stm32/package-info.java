/**
 * The STM32 USART bootloader (ST AN3155) of emulated STM32F405/407 and STM32L47x chips, served over
 * a {@link io.fieldproof.device.emulator.line.LineServer} so that stm32loader (as a library, over
 * {@code socket://}), stm32flash (through a socat pseudo-terminal) and the agent's flasher can
 * program its {@link io.fieldproof.device.emulator.flash.EmulatedFlash}.
 *
 * <p>Owns the chips' bootloader-visible facts ({@link
 * io.fieldproof.device.emulator.stm32.Stm32Chip}), the bus view (main flash, system memory, option
 * bytes), the command set and its counters. Must not: depend on the agent's flasher ({@code
 * io.fieldproof.agent.flash}); it is the device side and is judged by third-party tools.
 */
package io.fieldproof.device.emulator.stm32;
