/*
 * Where a chip keeps its two model slots and their records: the same offsets as
 * io.fieldproof.device.protocol.slots.SlotLayout (device-protocol.md §8), because the agent's
 * bootloader path writes records and slots there directly. Offsets count from the flash's first
 * byte. Each record and each slot starts on an erase unit of its own, so erasing one never touches
 * another.
 */
#ifndef FP_LAYOUT_H
#define FP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_err.h"

#define FP_SLOT_A 0
#define FP_SLOT_B 1

typedef struct {
  const char *chip;          /* wire name: esp32, esp32s3, stm32f4, stm32l4 */
  uint32_t flash_size;       /* bytes */
  uint32_t uniform_sector;   /* erase unit when uniform, 0 when sector_sizes is used */
  const uint32_t *sector_sizes;
  size_t sector_count;
  uint32_t record[2];        /* record A, record B */
  uint32_t slot[2];          /* slot A, slot B */
  uint32_t slot_size;
} fp_layout;

/* The layout of chip (its wire name), or NULL. */
const fp_layout *fp_layout_for_chip(const char *chip);

/* The sector holding offset: its first byte and size. FP_ERR_ARG outside the flash. */
fp_err fp_layout_sector_at(const fp_layout *layout, uint32_t offset, uint32_t *start,
                           uint32_t *size);

/* Whether offset is the first byte of a sector (or the end of the flash). */
bool fp_layout_is_sector_start(const fp_layout *layout, uint32_t offset);

/* "A" or "B". */
const char *fp_slot_name(int slot);

#endif
