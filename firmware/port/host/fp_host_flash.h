/*
 * NOR flash for host builds: an image of the whole chip flash in memory, optionally kept in a
 * file (a raw image, offset 0 = the flash's first byte, 0xFF where erased: the same format as the
 * Java emulator's --flash-file, so either can boot the other's image). The NOR rules hold: erase
 * only whole sectors of the chip's sector map, program only clears bits (new = old AND data; a
 * program that would set a bit is counted, and refused in strict mode). Every erase and program
 * reaches the file before it returns. The file is locked (fcntl) while open, as the emulator
 * locks it. A power cut can be injected after N more programmed bytes.
 */
#ifndef FP_HOST_FLASH_H
#define FP_HOST_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_err.h"
#include "fp_layout.h"
#include "fp_port.h"

/* The exit status of a process that lost its power (the QEMU build's too). */
#define FP_HOST_POWER_CUT_EXIT 3

typedef struct {
  const fp_layout *layout;
  uint8_t *image;
  int fd;                  /* -1 without a file */
  bool strict;             /* refuse programs that would set bits */
  uint64_t bytes_programmed;
  int64_t cut_after;       /* -1: no power cut pending */
  bool exit_at_cut;        /* the process ends at the cut (status 3) instead of returning */
  uint64_t set_bit_attempts;
  fp_flash_port port;
} fp_host_flash;

/* A blank flash in memory, or the image in path (created blank when missing or empty;
 * FP_ERR_IO when it cannot be opened or locked, FP_ERR_ARG when it holds another size). */
fp_err fp_host_flash_open(fp_host_flash *flash, const fp_layout *layout, const char *path);

void fp_host_flash_close(fp_host_flash *flash);

/* The power goes after bytes more programmed bytes: the bytes before the cut reach the file, then
 * that program returns FP_ERR_POWER_LOSS, or, with exit_at_cut, the process prints "power cut" on
 * stderr and exits with FP_HOST_POWER_CUT_EXIT at once, as the QEMU build does (nothing after the
 * cut runs, as on a board that lost its power). */
void fp_host_flash_cut_power_after(fp_host_flash *flash, uint64_t bytes);

#endif
