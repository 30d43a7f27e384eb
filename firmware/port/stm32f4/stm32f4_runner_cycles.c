#include "stm32f4_runner_cycles.h"

#include "stm32f4_board.h"

static const fp_runner_port *wrapped;
static fp_stm32_cycles_mode measure;

static fp_err load(void *ctx, const fp_flash_port *flash, uint32_t offset, uint32_t length) {
  (void)ctx;
  return wrapped->load(wrapped->ctx, flash, offset, length);
}

static fp_err invoke(void *ctx, const void *input, size_t input_len, void *output, size_t cap,
                     size_t *output_len, uint64_t *cycles) {
  (void)ctx;
  uint64_t start = fp_stm32_cycles();
  fp_err err = wrapped->invoke(wrapped->ctx, input, input_len, output, cap, output_len, cycles);
  uint64_t ticks = fp_stm32_cycles() - start;
  if (err == FP_OK) {
    *cycles = measure == FP_STM32_CYCLES_SYSTICK
                  ? ticks
                  : ticks * 1000000000ull / (uint64_t)FP_STM32_HCLK_HZ;
  }
  return err;
}

static fp_err info(void *ctx, fp_model_info *out) {
  (void)ctx;
  return wrapped->info(wrapped->ctx, out);
}

static const char *reason(void *ctx) {
  (void)ctx;
  return wrapped->reason == NULL ? NULL : wrapped->reason(wrapped->ctx);
}

const fp_runner_port *fp_stm32_runner_cycles(const fp_runner_port *inner, fp_stm32_cycles_mode mode) {
  static fp_runner_port port;
  if (mode == FP_STM32_CYCLES_ESTIMATE) return inner;
  wrapped = inner;
  measure = mode;
  port = (fp_runner_port){0,    inner->operators, inner->operator_count, inner->arena_bytes,
                          load, invoke,           info,                  reason};
  return &port;
}
