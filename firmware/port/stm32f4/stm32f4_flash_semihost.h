/*
 * The flash port for QEMU: the chip's whole flash as a file on the host, reached through
 * semihosting. The file has the format of the host port's and the Java emulator's --flash-file
 * (a raw image of flash_size bytes, offset 0 = the flash's first byte, 0xFF where erased), so
 * each can boot the others' images. The NOR rules are enforced here, not by the file: erase only
 * whole sectors of the chip's map (to 0xFF), program only clears bits (new = old AND data).
 * Every erase and program is written to the file before it returns, so killing QEMU is an honest
 * power cut: what reached the file stays, nothing else does. Unlike the host port, the file is
 * not locked (semihosting has no locks): do not open one file in two devices at once.
 */
#ifndef STM32F4_FLASH_SEMIHOST_H
#define STM32F4_FLASH_SEMIHOST_H

#include <stdint.h>

#include "fp_err.h"
#include "fp_layout.h"
#include "fp_port.h"

typedef struct {
  const fp_layout *layout;
  int32_t handle;
  uint64_t bytes_programmed;
  int64_t cut_after; /* -1: no power cut pending */
  uint64_t set_bit_attempts;
  fp_flash_port port;
} fp_stm32_semihost_flash;

/* Opens the image at path, created blank (all 0xFF) when missing or empty. FP_ERR_IO when it
 * cannot be opened or written, FP_ERR_ARG when it holds another size than the chip's flash. */
fp_err fp_stm32_semihost_flash_open(fp_stm32_semihost_flash *flash, const fp_layout *layout,
                                    const char *path);

/* The power goes after bytes more programmed bytes: the bytes before it reach the file, then
 * QEMU exits with status FP_STM32_POWER_CUT_EXIT, as a board loses power mid-write. */
#define FP_STM32_POWER_CUT_EXIT 3u
void fp_stm32_semihost_flash_cut_power_after(fp_stm32_semihost_flash *flash, uint64_t bytes);

#endif
