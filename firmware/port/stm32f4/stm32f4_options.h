/*
 * Options of the QEMU build, read from the semihosting command line (QEMU's -append, or
 * -semihosting-config arg=...), with the host build's names:
 *
 *   --seed S             device id derived from S as the Java emulator and the host build derive
 *                        it (stm32-<24 hex>), so several QEMU devices get distinct ids; default 1
 *   --device-id ID       this id instead
 *   --flash-file PATH    the flash image on the host (default fieldproof-stm32f4.flash)
 *   --telemetry-ms MS    the sampling period (default 1000)
 *   --firmware V         the version HELLO reports
 *   --power-cut-after N  QEMU exits (status 3) after N more programmed flash bytes
 *   --cycles MODE        what SELFTEST reports as cycles: estimate (default), systick or
 *                        instructions (with QEMU's -icount shift=0); stm32f4_runner_cycles.h
 *
 * Words are separated by spaces; a path cannot hold one.
 */
#ifndef STM32F4_OPTIONS_H
#define STM32F4_OPTIONS_H

#include <stdint.h>

#include "fp_err.h"
#include "stm32f4_runner_cycles.h"

typedef struct {
  int64_t seed;
  const char *device_id; /* NULL: derive from seed */
  const char *flash_file;
  const char *firmware;
  uint32_t telemetry_ms;
  int64_t power_cut_after; /* -1: none */
  fp_stm32_cycles_mode cycles;
} fp_stm32_options;

/* Parses line (modified in place: words are cut out of it). FP_ERR_ARG for an unknown option
 * or a missing value; words before the first option (the program name) are skipped. */
fp_err fp_stm32_options_parse(char *line, fp_stm32_options *options);

#endif
