#include "stm32f4_semihost.h"

#include <string.h>

enum {
  SYS_OPEN = 0x01,
  SYS_CLOSE = 0x02,
  SYS_WRITE0 = 0x04,
  SYS_WRITE = 0x05,
  SYS_READ = 0x06,
  SYS_SEEK = 0x0A,
  SYS_FLEN = 0x0C,
  SYS_GET_CMDLINE = 0x15,
  SYS_EXIT = 0x18,
  SYS_EXIT_EXTENDED = 0x20
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int32_t call(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return (int32_t)r0;
}

int32_t fp_semihost_open(const char *path, int mode) {
  const uint32_t block[3] = {(uint32_t)(uintptr_t)path, (uint32_t)mode, (uint32_t)strlen(path)};
  return call(SYS_OPEN, block);
}

int32_t fp_semihost_close(int32_t handle) {
  const uint32_t block[1] = {(uint32_t)handle};
  return call(SYS_CLOSE, block);
}

uint32_t fp_semihost_read(int32_t handle, void *out, uint32_t len) {
  const uint32_t block[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)out, len};
  return (uint32_t)call(SYS_READ, block);
}

uint32_t fp_semihost_write(int32_t handle, const void *data, uint32_t len) {
  const uint32_t block[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)data, len};
  return (uint32_t)call(SYS_WRITE, block);
}

int32_t fp_semihost_seek(int32_t handle, uint32_t position) {
  const uint32_t block[2] = {(uint32_t)handle, position};
  return call(SYS_SEEK, block);
}

int32_t fp_semihost_flen(int32_t handle) {
  const uint32_t block[1] = {(uint32_t)handle};
  return call(SYS_FLEN, block);
}

int32_t fp_semihost_cmdline(char *out, size_t cap) {
  uint32_t block[2] = {(uint32_t)(uintptr_t)out, (uint32_t)(cap - 1u)};
  int32_t r = call(SYS_GET_CMDLINE, block);
  out[r == 0 && block[1] < cap ? block[1] : 0] = '\0';
  return r;
}

void fp_semihost_print(const char *text) { (void)call(SYS_WRITE0, text); }

void fp_semihost_exit(uint32_t code) {
  const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
  (void)call(SYS_EXIT_EXTENDED, block);
  (void)call(SYS_EXIT, (const void *)(uintptr_t)ADP_STOPPED_APPLICATION_EXIT);
  for (;;) {
  }
}
