#include "fp_layout.h"

#include <string.h>

#define KIB 1024u

static const uint32_t STM32F4_SECTORS[12] = {16 * KIB,  16 * KIB,  16 * KIB,  16 * KIB,
                                             64 * KIB,  128 * KIB, 128 * KIB, 128 * KIB,
                                             128 * KIB, 128 * KIB, 128 * KIB, 128 * KIB};

static const fp_layout LAYOUTS[] = {
    {"esp32", 4096 * KIB, 4 * KIB, 0, 0, {0x200000, 0x201000}, {0x210000, 0x290000}, 512 * KIB},
    {"esp32s3", 8192 * KIB, 4 * KIB, 0, 0, {0x200000, 0x201000}, {0x210000, 0x310000}, 1024 * KIB},
    {"stm32f4", 1024 * KIB, 0, STM32F4_SECTORS, 12, {0x8000, 0xC000}, {0x20000, 0x80000},
     384 * KIB},
    {"stm32l4", 1024 * KIB, 2 * KIB, 0, 0, {0x70000, 0x70800}, {0x80000, 0xC0000}, 256 * KIB},
};

const fp_layout *fp_layout_for_chip(const char *chip) {
  for (size_t i = 0; i < sizeof LAYOUTS / sizeof LAYOUTS[0]; i++) {
    if (strcmp(LAYOUTS[i].chip, chip) == 0) {
      return &LAYOUTS[i];
    }
  }
  return 0;
}

fp_err fp_layout_sector_at(const fp_layout *layout, uint32_t offset, uint32_t *start,
                           uint32_t *size) {
  if (offset >= layout->flash_size) {
    return FP_ERR_ARG;
  }
  if (layout->uniform_sector != 0) {
    *start = offset - offset % layout->uniform_sector;
    *size = layout->uniform_sector;
    return FP_OK;
  }
  uint32_t at = 0;
  for (size_t i = 0; i < layout->sector_count; i++) {
    if (offset < at + layout->sector_sizes[i]) {
      *start = at;
      *size = layout->sector_sizes[i];
      return FP_OK;
    }
    at += layout->sector_sizes[i];
  }
  return FP_ERR_ARG;
}

bool fp_layout_is_sector_start(const fp_layout *layout, uint32_t offset) {
  if (offset == layout->flash_size) {
    return true;
  }
  uint32_t start = 0;
  uint32_t size = 0;
  return fp_layout_sector_at(layout, offset, &start, &size) == FP_OK && start == offset;
}

const char *fp_slot_name(int slot) { return slot == FP_SLOT_A ? "A" : "B"; }
