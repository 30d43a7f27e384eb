/* The runner on untrusted models: every truncation and thousands of random byte changes of every
 * fixture model, offsets pointing out of the file, and an unsupported operator. Each must be
 * refused with FP_ERR_MODEL_INVALID or, when the change leaves a valid model, run; never crash.
 * The model and the arena are heap blocks of their exact size, so AddressSanitizer sees any read
 * past them; UBSan halts on the first undefined behaviour. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fp_flatbuf.h"
#include "fp_int8.h"

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

#define ARENA (64u * 1024u)
#define FLIPS_PER_MODEL 10000u

static fp_int8 IT;
static uint8_t *arena;

static const char *fixtures(void) {
  const char *dir = getenv("FP_FIXTURES_DIR");
  return dir != NULL ? dir : "../model/fixtures/models";
}

static uint8_t *read_model(const char *name, uint32_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", fixtures(), name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc((size_t)n);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

static uint32_t rng = 20240601u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Loads a copy of exactly len bytes; runs it once on random input when it loads. */
static fp_err try_model(const uint8_t *bytes, uint32_t len) {
  uint8_t *copy = malloc(len ? len : 1);
  assert_non_null(copy);
  memcpy(copy, bytes, len);
  fp_err err = fp_int8_init(&IT, copy, len, arena, ARENA);
  if (err == FP_OK) {
    fp_tensor *in = fp_int8_input(&IT, 0);
    if (in != NULL && in->data != NULL) {
      for (uint32_t i = 0; i < in->bytes; i++) in->data[i] = (uint8_t)next();
    }
    assert_int_equal(fp_int8_invoke(&IT), FP_OK);
  } else {
    assert_int_equal(err, FP_ERR_MODEL_INVALID);
    assert_true(IT.reason[0] != '\0');
  }
  free(copy);
  return err;
}

static size_t model_names(char names[][128], size_t cap) {
  DIR *d = opendir(fixtures());
  if (d == NULL) fail_msg("no fixture folder %s (set FP_FIXTURES_DIR)", fixtures());
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < cap) {
    size_t l = strlen(e->d_name);
    if (l > 7 && strcmp(e->d_name + l - 7, ".tflite") == 0) {
      snprintf(names[n++], 128, "%s", e->d_name);
    }
  }
  closedir(d);
  assert_true(n >= 9);
  return n;
}

static void truncations_are_refused(void **state) {
  (void)state;
  char names[32][128];
  size_t n = model_names(names, 32);
  unsigned refused = 0, loaded = 0;
  for (size_t m = 0; m < n; m++) {
    uint32_t len;
    uint8_t *model = read_model(names[m], &len);
    for (uint32_t cut = 0; cut < len; cut++) {
      if (try_model(model, cut) == FP_OK) {
        loaded++;
      } else {
        refused++;
      }
    }
    free(model);
  }
  print_message("truncations: %u refused, %u still a whole model\n", refused, loaded);
  assert_int_equal(loaded, 0);
}

static void byte_changes_never_crash(void **state) {
  (void)state;
  char names[32][128];
  size_t n = model_names(names, 32);
  unsigned refused = 0, loaded = 0;
  for (size_t m = 0; m < n; m++) {
    uint32_t len;
    uint8_t *model = read_model(names[m], &len);
    uint8_t *changed = malloc(len);
    assert_non_null(changed);
    for (unsigned k = 0; k < FLIPS_PER_MODEL; k++) {
      memcpy(changed, model, len);
      unsigned count = 1 + next() % 4;
      for (unsigned c = 0; c < count; c++) {
        uint32_t at = next() % len;
        uint32_t v = (k & 1) ? next() : changed[at] ^ (1u << (next() % 8));
        changed[at] = (uint8_t)v;
      }
      if (try_model(changed, len) == FP_OK) {
        loaded++;
      } else {
        refused++;
      }
    }
    free(changed);
    free(model);
  }
  print_message("byte changes: %u refused, %u loaded and ran\n", refused, loaded);
  assert_true(refused > 0);
}

/* The position of field id of table t (it must be present). */
static uint32_t field_pos(const uint8_t *model, const fp_fb_table *t, unsigned id) {
  assert_true(4u + 2u * id + 2u <= t->vt_bytes);
  uint16_t off = fp_fb_le16(model + t->vt + 4 + 2 * id);
  assert_true(off != 0);
  return t->pos + off;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void offsets_out_of_bounds_and_unsupported_ops(void **state) {
  (void)state;
  uint32_t len;
  uint8_t *model = read_model("dense_anomaly.tflite", &len);
  uint8_t *m = malloc(len);
  assert_non_null(m);
  assert_int_equal(try_model(model, len), FP_OK);

  memcpy(m, model, len);
  put32(m, 0xfffffff0u); /* root table beyond the file */
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);

  fp_fb fb;
  fp_fb_init(&fb, model, len);
  fp_fb_table root = fp_fb_root(&fb);
  memcpy(m, model, len);
  put32(m + root.pos, 0x80000000u); /* vtable far before the file */
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);

  memcpy(m, model, len);
  uint32_t subgraphs = field_pos(model, &root, 2);
  put32(m + subgraphs, len); /* vector offset past the end */
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);

  fp_fb_vec sg = fp_fb_vector(&fb, &root, 2, 4);
  fp_fb_table g = fp_fb_vec_table(&fb, &sg, 0);
  fp_fb_vec tensors = fp_fb_vector(&fb, &g, 0, 4);
  memcpy(m, model, len);
  put32(m + tensors.at - 4, 0x40000000u); /* a tensor vector longer than the file */
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(IT.reason, "corrupt"));

  fp_fb_vec codes = fp_fb_vector(&fb, &root, 1, 4);
  fp_fb_table code = fp_fb_vec_table(&fb, &codes, 0);
  assert_false(fb.bad);
  memcpy(m, model, len);
  uint32_t builtin = field_pos(model, &code, 3);
  put32(m + builtin, 2); /* CONCATENATION */
  if (4u + 2u * 0 + 2u <= code.vt_bytes && fp_fb_le16(model + code.vt + 4) != 0) {
    m[field_pos(model, &code, 0)] = 2;
  }
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(IT.reason, "does not run"));
  print_message("unsupported operator: %s\n", IT.reason);

  memcpy(m, model, len);
  m[4] = 'X'; /* file identifier */
  assert_int_equal(try_model(m, len), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(IT.reason, "TFL3"));

  assert_int_equal(fp_int8_init(&IT, model, len, arena, 1024), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(IT.reason, "arena"));
  free(m);
  free(model);
}

int main(void) {
  arena = malloc(ARENA);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(offsets_out_of_bounds_and_unsupported_ops),
      cmocka_unit_test(truncations_are_refused),
      cmocka_unit_test(byte_changes_never_crash),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  free(arena);
  return failed;
}
