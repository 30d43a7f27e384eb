#include "stm32f4_flash_ctrl.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "stm32f4_regs.h"

/* The firmware's own sectors (stm32f4.ld): [0, 32 KiB) and [64 KiB, 128 KiB). */
#define CODE0_END 0x8000u
#define CODE1_START 0x10000u
#define CODE1_END 0x20000u

static const fp_layout *layout;

static bool touches_code(uint32_t offset, uint32_t len) {
  uint64_t end = (uint64_t)offset + len;
  return offset < CODE0_END || (offset < CODE1_END && end > CODE1_START);
}

static void unlock(void) {
  if (FLASH_CR & FLASH_CR_LOCK) {
    FLASH_KEYR = FLASH_KEY1;
    FLASH_KEYR = FLASH_KEY2;
  }
}

static void lock(void) { FLASH_CR |= FLASH_CR_LOCK; }

/* Waits for the operation to end; the error flags it left are cleared (write 1) and reported. */
static fp_err wait_done(void) {
  while (FLASH_SR & FLASH_SR_BSY) {
  }
  uint32_t sr = FLASH_SR;
  FLASH_SR = sr & (FLASH_SR_ERRORS | FLASH_SR_EOP);
  return (sr & FLASH_SR_ERRORS) ? FP_ERR_FLASH_ERROR : FP_OK;
}

static fp_err erase_sector(uint32_t number) {
  fp_err err = wait_done();
  if (err != FP_OK) return err;
  FLASH_CR = (FLASH_CR & ~(FLASH_CR_SNB_MASK | FLASH_CR_PSIZE_MASK | FLASH_CR_PG)) |
             FLASH_CR_SER | FLASH_CR_PSIZE_X32 | (number << FLASH_CR_SNB_SHIFT);
  FLASH_CR |= FLASH_CR_STRT;
  err = wait_done();
  FLASH_CR &= ~(FLASH_CR_SER | FLASH_CR_SNB_MASK);
  return err;
}

static fp_err erase(void *ctx, uint32_t offset, uint32_t len) {
  (void)ctx;
  if ((uint64_t)offset + len > layout->flash_size || !fp_layout_is_sector_start(layout, offset) ||
      !fp_layout_is_sector_start(layout, offset + len)) {
    return FP_ERR_NOR_VIOLATION;
  }
  if (touches_code(offset, len)) return FP_ERR_ARG;
  unlock();
  fp_err err = FP_OK;
  uint32_t at = 0;
  for (uint32_t n = 0; n < layout->sector_count && err == FP_OK; n++) {
    if (at >= offset && at < offset + len) err = erase_sector(n);
    at += layout->sector_sizes[n];
  }
  lock();
  return err;
}

static fp_err program_word(uint32_t address, uint32_t value) {
  FLASH_CR = (FLASH_CR & ~(FLASH_CR_PSIZE_MASK | FLASH_CR_SER)) | FLASH_CR_PSIZE_X32 | FLASH_CR_PG;
  *(volatile uint32_t *)(uintptr_t)address = value;
  __asm__ volatile("dsb" ::: "memory");
  fp_err err = wait_done();
  FLASH_CR &= ~FLASH_CR_PG;
  return err;
}

static fp_err program_byte(uint32_t address, uint8_t value) {
  FLASH_CR = (FLASH_CR & ~(FLASH_CR_PSIZE_MASK | FLASH_CR_SER)) | FLASH_CR_PSIZE_X8 | FLASH_CR_PG;
  *(volatile uint8_t *)(uintptr_t)address = value;
  __asm__ volatile("dsb" ::: "memory");
  fp_err err = wait_done();
  FLASH_CR &= ~FLASH_CR_PG;
  return err;
}

/* Only bits that go from 1 to 0 are programmed (new = old AND data); unchanged words are
 * skipped. Whole aligned words at x32, the unaligned head and tail byte by byte at x8. */
static fp_err program(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len) {
  (void)ctx;
  if ((uint64_t)offset + len > layout->flash_size) return FP_ERR_ARG;
  if (touches_code(offset, len)) return FP_ERR_ARG;
  fp_err err = wait_done();
  if (err != FP_OK) return err;
  unlock();
  uint32_t address = FLASH_MEMORY_BASE + offset;
  uint32_t i = 0;
  while (i < len && err == FP_OK) {
    if ((address & 3u) == 0 && len - i >= 4) {
      uint32_t old = *(volatile const uint32_t *)(uintptr_t)address;
      uint32_t word;
      memcpy(&word, data + i, 4);
      if ((old & word) != old) err = program_word(address, old & word);
      address += 4;
      i += 4;
    } else {
      uint8_t old = *(volatile const uint8_t *)(uintptr_t)address;
      uint8_t byte = (uint8_t)(old & data[i]);
      if (byte != old) err = program_byte(address, byte);
      address++;
      i++;
    }
  }
  lock();
  return err;
}

static fp_err read_flash(void *ctx, uint32_t offset, uint8_t *out, uint32_t len) {
  (void)ctx;
  if ((uint64_t)offset + len > layout->flash_size) return FP_ERR_ARG;
  memcpy(out, (const void *)(uintptr_t)(FLASH_MEMORY_BASE + offset), len);
  return FP_OK;
}

const fp_flash_port *fp_stm32_flash_controller(const fp_layout *chip_layout) {
  static const fp_flash_port PORT = {0, erase, program, read_flash};
  layout = chip_layout;
  return &PORT;
}
