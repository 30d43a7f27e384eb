/*
 * The flash port for a real STM32F405: the embedded flash controller, register by register
 * (RM0090 §3: unlock with FLASH_KEYR, sector erase with FLASH_CR SER/SNB/STRT, programming with
 * PG, waiting on FLASH_SR BSY). Sector map 4 x 16 KiB, 1 x 64 KiB, 7 x 128 KiB (the stm32f4
 * layout of core/fp_layout.c).
 *
 * UNTESTED: QEMU's netduinoplus2 has no flash controller (writes to the flash do nothing there),
 * so this driver is compiled with -Werror but has never run. The QEMU build uses
 * stm32f4_flash_semihost instead.
 *
 * Assumes 2.7-3.6 V (32-bit parallelism for words), no data cache enabled (FLASH_ACR DCEN is
 * left at its reset value), and runs from flash: the CPU stalls while a sector erases (up to
 * 2 s for 128 KiB), interrupts included, so bytes arriving on the UART meanwhile are lost. The
 * host waits for each SLOT_WRITE answer before it sends more, so nothing arrives then.
 * The sectors holding this firmware (0, 1 and 4, see stm32f4.ld) are refused.
 */
#ifndef STM32F4_FLASH_CTRL_H
#define STM32F4_FLASH_CTRL_H

#include "fp_err.h"
#include "fp_layout.h"
#include "fp_port.h"

/* The flash port over the controller; layout must be the stm32f4 layout. */
const fp_flash_port *fp_stm32_flash_controller(const fp_layout *layout);

#endif
