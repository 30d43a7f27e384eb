/**
 * The agent's flasher for STM32 chips through their USART bootloader (ST AN3155), over a {@link
 * io.fieldproof.agent.flash.ByteLine}: {@link io.fieldproof.agent.flash.stm32.Stm32BootSession}
 * with its {@link io.fieldproof.agent.flash.stm32.Stm32BootOptions}.
 *
 * <p>Owns the host side of the wire protocol, the retries and the resync after damaged frames, and
 * the mapping from product id to chip name and slot layout. Must not: know about the emulators (it
 * is tested against them and must work with real chips), MQTT or Kubernetes.
 */
package io.fieldproof.agent.flash.stm32;
