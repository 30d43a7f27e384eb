/*
 * Device ids for host builds, derived from a seed exactly as the Java emulators derive theirs
 * (io.fieldproof.device.emulator.HardwareId): an Espressif MAC or an STM32 96-bit UID. A real board
 * reads its eFuse MAC or UID_BASE instead.
 */
#ifndef FP_HOST_IDENTITY_H
#define FP_HOST_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "fp_err.h"

/* Writes "esp32-<12 hex>" (chip family esp32*) or "stm32-<24 hex>" (stm32*) into out. */
fp_err fp_host_device_id(const char *chip, int64_t seed, char *out, size_t cap);

#endif
