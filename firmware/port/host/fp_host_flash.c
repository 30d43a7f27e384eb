#define _POSIX_C_SOURCE 200809L
#include "fp_host_flash.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static fp_err persist(fp_host_flash *f, uint32_t offset, uint32_t len) {
  if (f->fd < 0 || len == 0) return FP_OK;
  ssize_t n = pwrite(f->fd, f->image + offset, len, (off_t)offset);
  return n == (ssize_t)len ? FP_OK : FP_ERR_IO;
}

static fp_err erase(void *ctx, uint32_t offset, uint32_t len) {
  fp_host_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size ||
      !fp_layout_is_sector_start(f->layout, offset) ||
      !fp_layout_is_sector_start(f->layout, offset + len)) {
    return FP_ERR_NOR_VIOLATION;
  }
  memset(f->image + offset, 0xFF, len);
  return persist(f, offset, len);
}

static fp_err program(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len) {
  fp_host_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size) return FP_ERR_ARG;
  if (f->strict) {
    for (uint32_t i = 0; i < len; i++) {
      if ((uint8_t)(data[i] & ~f->image[offset + i]) != 0) return FP_ERR_NOR_VIOLATION;
    }
  }
  uint32_t i = 0;
  fp_err err = FP_OK;
  for (; i < len; i++) {
    if (f->cut_after >= 0 && f->bytes_programmed >= (uint64_t)f->cut_after) {
      f->cut_after = -1;
      err = FP_ERR_POWER_LOSS;
      break;
    }
    if ((uint8_t)(data[i] & ~f->image[offset + i]) != 0) f->set_bit_attempts++;
    f->image[offset + i] &= data[i];
    f->bytes_programmed++;
  }
  fp_err io = persist(f, offset, i);
  if (err == FP_ERR_POWER_LOSS && f->exit_at_cut) {
    (void)fputs("power cut\n", stderr);
    _exit(FP_HOST_POWER_CUT_EXIT);
  }
  return err != FP_OK ? err : io;
}

static fp_err read_flash(void *ctx, uint32_t offset, uint8_t *out, uint32_t len) {
  fp_host_flash *f = ctx;
  if ((uint64_t)offset + len > f->layout->flash_size) return FP_ERR_ARG;
  memcpy(out, f->image + offset, len);
  return FP_OK;
}

fp_err fp_host_flash_open(fp_host_flash *f, const fp_layout *layout, const char *path) {
  memset(f, 0, sizeof *f);
  f->layout = layout;
  f->fd = -1;
  f->cut_after = -1;
  f->port = (fp_flash_port){f, erase, program, read_flash};
  f->image = malloc(layout->flash_size); /* the host port may allocate; the core never does */
  if (f->image == NULL) return FP_ERR_NO_SPACE;
  memset(f->image, 0xFF, layout->flash_size);
  if (path == NULL) return FP_OK;
  int fd = open(path, O_RDWR | O_CREAT, 0644);
  if (fd < 0) goto io_error;
  struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  if (fcntl(fd, F_SETLK, &lock) != 0) goto io_error_fd;
  struct stat st;
  if (fstat(fd, &st) != 0) goto io_error_fd;
  if (st.st_size == 0) {
    if (pwrite(fd, f->image, layout->flash_size, 0) != (ssize_t)layout->flash_size) goto io_error_fd;
  } else if ((uint64_t)st.st_size != layout->flash_size) {
    close(fd);
    free(f->image);
    f->image = NULL;
    return FP_ERR_ARG;
  } else if (pread(fd, f->image, layout->flash_size, 0) != (ssize_t)layout->flash_size) {
    goto io_error_fd;
  }
  f->fd = fd;
  return FP_OK;
io_error_fd:
  close(fd);
io_error:
  free(f->image);
  f->image = NULL;
  return FP_ERR_IO;
}

void fp_host_flash_close(fp_host_flash *f) {
  if (f->fd >= 0) close(f->fd);
  f->fd = -1;
  free(f->image);
  f->image = NULL;
}

void fp_host_flash_cut_power_after(fp_host_flash *f, uint64_t bytes) {
  f->cut_after = (int64_t)(f->bytes_programmed + bytes);
}
