#include "stm32f4_identity.h"

#include <stdint.h>

#include "stm32f4_regs.h"

fp_err fp_stm32_uid_device_id(char *out, size_t cap) {
  static const char HEX[] = "0123456789abcdef";
  static const char PREFIX[] = "stm32-";
  if (cap < sizeof PREFIX + 24) return FP_ERR_NO_SPACE;
  size_t o = 0;
  for (; PREFIX[o] != '\0'; o++) out[o] = PREFIX[o];
  for (uint32_t i = 0; i < 12; i++) {
    uint8_t b = *(volatile const uint8_t *)(uintptr_t)(UID_BASE + i);
    out[o++] = HEX[b >> 4];
    out[o++] = HEX[b & 0xFu];
  }
  out[o] = '\0';
  return FP_OK;
}
