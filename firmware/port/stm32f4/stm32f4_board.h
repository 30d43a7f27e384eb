/*
 * The STM32F405 board port of the Fieldproof firmware: USART1 as the line, SysTick as the
 * millisecond clock, the flash port (the flash controller on a chip, a host file through
 * semihosting under QEMU), the device id and the sensors. main.c wires them to the core.
 */
#ifndef STM32F4_BOARD_H
#define STM32F4_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_port.h"

/* The core clock the port assumes (SysTick and the USART's baud rate divisor). QEMU's
 * netduinoplus2 runs SysTick at 168 MHz whatever RCC says; a chip out of reset runs on the
 * 16 MHz HSI, and this port does not start the PLL. */
#ifndef FP_STM32_HCLK_HZ
#define FP_STM32_HCLK_HZ 16000000u
#endif
#ifndef FP_STM32_BAUD
#define FP_STM32_BAUD 115200u
#endif

/* ---- SysTick: milliseconds and a cycle count ---- */
void fp_stm32_clock_init(void);
void fp_stm32_systick_irq(void);
const fp_clock_port *fp_stm32_clock(void);
/* Core clock cycles since fp_stm32_clock_init, from SysTick (QEMU has no DWT cycle counter:
 * DWT_CYCCNT reads 0 there). Under `-icount shift=0` QEMU runs one instruction per
 * nanosecond of virtual time, so this counts instructions * FP_STM32_HCLK_HZ / 1e9. */
uint64_t fp_stm32_cycles(void);

/* ---- USART1: 8N1, received bytes go into a ring buffer by interrupt ---- */
void fp_stm32_usart_init(void);
void fp_stm32_usart1_irq(void);
const fp_stream_port *fp_stm32_usart_stream(void);
/* Takes up to cap received bytes; 0 when none wait. */
size_t fp_stm32_usart_take(uint8_t *out, size_t cap);
/* Bytes lost because the ring was full or the USART overran. */
uint32_t fp_stm32_usart_overruns(void);

/* ---- sensors: every input reads its operating point (the host port's sensors) ---- */
const fp_sensor_port *fp_stm32_sensors(void);

#endif
