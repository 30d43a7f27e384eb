#include "fp_runner_none.h"

static fp_err load(void *ctx, const fp_flash_port *flash, uint32_t offset, uint32_t length) {
  (void)ctx;
  (void)flash;
  (void)offset;
  (void)length;
  return FP_ERR_NO_RUNNER;
}

static fp_err invoke(void *ctx, const void *input, size_t input_len, void *output, size_t cap,
                     size_t *output_len, uint64_t *cycles) {
  (void)ctx;
  (void)input;
  (void)input_len;
  (void)output;
  (void)cap;
  *output_len = 0;
  *cycles = 0;
  return FP_ERR_NO_RUNNER;
}

static fp_err info(void *ctx, fp_model_info *out) {
  (void)ctx;
  (void)out;
  return FP_ERR_NO_RUNNER;
}

static const fp_runner_port NONE = {0, 0, 0, 0, load, invoke, info, NULL};

const fp_runner_port *fp_runner_none(void) { return &NONE; }
