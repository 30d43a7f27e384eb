/*
 * What SELFTEST reports as an inference's cycles. The int8 runner estimates them from the model
 * (MACs and operators, as the Java emulators do); a board can measure instead. This wraps any
 * runner port and replaces the cycles of invoke by a measurement when asked:
 *
 *   estimate      the runner's own figure (what the emulators report)
 *   systick       core clock cycles counted by SysTick around invoke: on a chip, the measured
 *                 cycles (QEMU has no DWT cycle counter; SysTick works on both)
 *   instructions  under QEMU with `-icount shift=0` (one instruction per ns of virtual time):
 *                 SysTick ticks * 1e9 / FP_STM32_HCLK_HZ = instructions executed, to about 6.
 *                 Without -icount this is wall-clock time and means little.
 *
 * Interrupts taken during invoke (SysTick each millisecond, USART bytes) are counted too.
 */
#ifndef STM32F4_RUNNER_CYCLES_H
#define STM32F4_RUNNER_CYCLES_H

#include "fp_port.h"

typedef enum {
  FP_STM32_CYCLES_ESTIMATE,
  FP_STM32_CYCLES_SYSTICK,
  FP_STM32_CYCLES_INSTRUCTIONS
} fp_stm32_cycles_mode;

/* inner itself for FP_STM32_CYCLES_ESTIMATE, else a port that forwards to it (one at a time). */
const fp_runner_port *fp_stm32_runner_cycles(const fp_runner_port *inner, fp_stm32_cycles_mode mode);

#endif
