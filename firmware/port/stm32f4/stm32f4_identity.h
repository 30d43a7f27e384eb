/* The device id of a real chip: "stm32-" + the 24 lower-case hex digits of the 96-bit unique id,
 * bytes in address order from UID_BASE (device-protocol.md §4.1). QEMU's netduinoplus2 does not
 * map UID_BASE (a read faults), so the QEMU build takes its id from the command line instead
 * (stm32f4_options.h). */
#ifndef STM32F4_IDENTITY_H
#define STM32F4_IDENTITY_H

#include <stddef.h>

#include "fp_err.h"

fp_err fp_stm32_uid_device_id(char *out, size_t cap);

#endif
