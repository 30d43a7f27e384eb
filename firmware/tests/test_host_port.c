/* The host port: NOR rules, the flash file (kept across a reopen, locked, size checked), the
 * emulator-compatible device ids. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fp_host_flash.h"
#include "fp_host_identity.h"

static fp_host_flash F;

static void nor_rules(void **state) {
  (void)state;
  const fp_layout *l = fp_layout_for_chip("stm32f4");
  assert_int_equal(fp_host_flash_open(&F, l, NULL), FP_OK);
  uint8_t b[4];
  assert_int_equal(F.port.read(F.port.ctx, 0x8000, b, 4), FP_OK);
  assert_int_equal(b[0], 0xFF);
  const uint8_t first[] = {0xF0, 0x0F};
  assert_int_equal(F.port.program(F.port.ctx, 0x8000, first, 2), FP_OK);
  const uint8_t second[] = {0x3C, 0xFF};
  assert_int_equal(F.port.program(F.port.ctx, 0x8000, second, 2), FP_OK);
  assert_int_equal(F.port.read(F.port.ctx, 0x8000, b, 2), FP_OK);
  assert_int_equal(b[0], 0x30); /* only cleared bits stay cleared: F0 AND 3C */
  assert_int_equal(b[1], 0x0F);
  assert_int_equal(F.set_bit_attempts, 2); /* both bytes tried to set bits */
  F.strict = true;
  assert_int_equal(F.port.program(F.port.ctx, 0x8000, second, 1), FP_ERR_NOR_VIOLATION);
  F.strict = false;
  /* erase only whole sectors */
  assert_int_equal(F.port.erase(F.port.ctx, 0x8000, 0x1000), FP_ERR_NOR_VIOLATION);
  assert_int_equal(F.port.erase(F.port.ctx, 0x8100, 0x4000), FP_ERR_NOR_VIOLATION);
  assert_int_equal(F.port.erase(F.port.ctx, 0x8000, 0x4000), FP_OK);
  assert_int_equal(F.port.read(F.port.ctx, 0x8000, b, 2), FP_OK);
  assert_int_equal(b[0], 0xFF);
  assert_int_equal(F.port.erase(F.port.ctx, 0x20000, 3 * 128 * 1024), FP_OK);
  assert_int_equal(F.port.read(F.port.ctx, 0x100000 - 1, b, 2), FP_ERR_ARG);
  /* a power cut after n bytes keeps the n bytes */
  fp_host_flash_cut_power_after(&F, 3);
  const uint8_t five[] = {1, 2, 3, 4, 5};
  assert_int_equal(F.port.program(F.port.ctx, 0x8000, five, 5), FP_ERR_POWER_LOSS);
  uint8_t got[5];
  assert_int_equal(F.port.read(F.port.ctx, 0x8000, got, 5), FP_OK);
  const uint8_t expected[] = {1, 2, 3, 0xFF, 0xFF};
  assert_memory_equal(got, expected, 5);
  fp_host_flash_close(&F);
}

static void flash_file(void **state) {
  (void)state;
  char path[] = "/tmp/fp-flash-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  const fp_layout *l = fp_layout_for_chip("stm32l4");
  assert_int_equal(fp_host_flash_open(&F, l, path), FP_OK); /* empty file: a blank chip */
  const uint8_t data[] = {0x12, 0x34};
  assert_int_equal(F.port.program(F.port.ctx, 0x80000, data, 2), FP_OK);
  /* another process cannot open the same chip while it is held (fcntl lock) */
  pid_t child = fork();
  if (child == 0) {
    fp_host_flash other;
    _exit(fp_host_flash_open(&other, l, path) == FP_ERR_IO ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fp_host_flash_close(&F);
  /* reopened: the bytes are there, as after a reboot */
  assert_int_equal(fp_host_flash_open(&F, l, path), FP_OK);
  uint8_t b[2];
  assert_int_equal(F.port.read(F.port.ctx, 0x80000, b, 2), FP_OK);
  assert_memory_equal(b, data, 2);
  fp_host_flash_close(&F);
  /* another chip's flash size is refused */
  assert_int_equal(fp_host_flash_open(&F, fp_layout_for_chip("esp32"), path), FP_ERR_ARG);
  FILE *f = fopen(path, "rb");
  fseek(f, 0, SEEK_END);
  assert_int_equal(ftell(f), 1024 * 1024);
  fclose(f);
  unlink(path);
}

static void device_ids_as_the_emulators(void **state) {
  (void)state;
  char id[64];
  /* docs/device-protocol.md §8: seeds 1 and 2 */
  assert_int_equal(fp_host_device_id("stm32l4", 1, id, sizeof id), FP_OK);
  assert_string_equal(id, "stm32-344f699302344242504d4733");
  assert_int_equal(fp_host_device_id("stm32l4", 2, id, sizeof id), FP_OK);
  assert_string_equal(id, "stm32-314b725c01474f4d30445743");
  assert_int_equal(fp_host_device_id("esp32", 1, id, sizeof id), FP_OK);
  assert_string_equal(id, "esp32-240ac467d3bd");
  assert_int_equal(fp_host_device_id("nrf52", 1, id, sizeof id), FP_ERR_ARG);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nor_rules),
      cmocka_unit_test(flash_file),
      cmocka_unit_test(device_ids_as_the_emulators),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
