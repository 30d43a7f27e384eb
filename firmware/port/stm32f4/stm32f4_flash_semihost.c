#include "stm32f4_flash_semihost.h"

#include <string.h>

#include "stm32f4_semihost.h"

#define CHUNK 512u

static uint8_t chunk[CHUNK];

static fp_err write_at(fp_stm32_semihost_flash *f, uint32_t offset, const uint8_t *data,
                       uint32_t len) {
  if (fp_semihost_seek(f->handle, offset) != 0) return FP_ERR_IO;
  return fp_semihost_write(f->handle, data, len) == 0 ? FP_OK : FP_ERR_IO;
}

static fp_err read_at(fp_stm32_semihost_flash *f, uint32_t offset, uint8_t *out, uint32_t len) {
  if (fp_semihost_seek(f->handle, offset) != 0) return FP_ERR_IO;
  return fp_semihost_read(f->handle, out, len) == 0 ? FP_OK : FP_ERR_IO;
}

static fp_err fill_erased(fp_stm32_semihost_flash *f, uint32_t offset, uint32_t len) {
  memset(chunk, 0xFF, CHUNK);
  while (len > 0) {
    uint32_t n = len < CHUNK ? len : CHUNK;
    fp_err err = write_at(f, offset, chunk, n);
    if (err != FP_OK) return err;
    offset += n;
    len -= n;
  }
  return FP_OK;
}

static fp_err erase(void *ctx, uint32_t offset, uint32_t len) {
  fp_stm32_semihost_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size ||
      !fp_layout_is_sector_start(f->layout, offset) ||
      !fp_layout_is_sector_start(f->layout, offset + len)) {
    return FP_ERR_NOR_VIOLATION;
  }
  return fill_erased(f, offset, len);
}

static void power_cut(fp_stm32_semihost_flash *f, uint32_t offset, uint32_t done) {
  if (done > 0) (void)write_at(f, offset, chunk, done);
  fp_semihost_print("power cut\n");
  fp_semihost_exit(FP_STM32_POWER_CUT_EXIT);
}

static fp_err program(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len) {
  fp_stm32_semihost_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size) return FP_ERR_ARG;
  while (len > 0) {
    uint32_t n = len < CHUNK ? len : CHUNK;
    fp_err err = read_at(f, offset, chunk, n);
    if (err != FP_OK) return err;
    for (uint32_t i = 0; i < n; i++) {
      if (f->cut_after >= 0 && f->bytes_programmed >= (uint64_t)f->cut_after) power_cut(f, offset, i);
      if ((uint8_t)(data[i] & ~chunk[i]) != 0) f->set_bit_attempts++;
      chunk[i] &= data[i];
      f->bytes_programmed++;
    }
    err = write_at(f, offset, chunk, n);
    if (err != FP_OK) return err;
    offset += n;
    data += n;
    len -= n;
  }
  return FP_OK;
}

static fp_err read_flash(void *ctx, uint32_t offset, uint8_t *out, uint32_t len) {
  fp_stm32_semihost_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size) return FP_ERR_ARG;
  return read_at(f, offset, out, len);
}

fp_err fp_stm32_semihost_flash_open(fp_stm32_semihost_flash *f, const fp_layout *layout,
                                    const char *path) {
  memset(f, 0, sizeof *f);
  f->layout = layout;
  f->cut_after = -1;
  f->port = (fp_flash_port){f, erase, program, read_flash};
  f->handle = fp_semihost_open(path, FP_SEMIHOST_MODE_RWB);
  if (f->handle < 0) f->handle = fp_semihost_open(path, FP_SEMIHOST_MODE_CREATE_RWB);
  if (f->handle < 0) return FP_ERR_IO;
  int32_t length = fp_semihost_flen(f->handle);
  if (length == 0) return fill_erased(f, 0, layout->flash_size);
  if (length < 0) return FP_ERR_IO;
  return (uint32_t)length == layout->flash_size ? FP_OK : FP_ERR_ARG;
}

void fp_stm32_semihost_flash_cut_power_after(fp_stm32_semihost_flash *f, uint64_t bytes) {
  f->cut_after = (int64_t)(f->bytes_programmed + bytes);
}
