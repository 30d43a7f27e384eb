/* The int8 runner against tflite-micro's golden vectors of every fixture model (the vectors the
 * Java interpreter passes: the .golden.json files in model/fixtures/models), through the interpreter and
 * through the board's runner port, and the models the runner must refuse.
 *
 * FP_FIXTURES_DIR names the fixture folder (the Makefile's test target sets it). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fp_int8.h"
#include "fp_runner_int8.h"

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

#define BIG_ARENA (1u << 20)
static _Alignas(16) uint8_t BIG[BIG_ARENA];
static fp_int8 IT;

static const char *fixtures(void) {
  const char *dir = getenv("FP_FIXTURES_DIR");
  return dir != NULL ? dir : "../model/fixtures/models";
}

/* The whole file, NUL-terminated, in a heap buffer (test code); NULL when it cannot be read. */
static uint8_t *read_file(const char *dir, const char *name, uint32_t *len) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = malloc((size_t)n + 1);
  if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(buf);
    return NULL;
  }
  fclose(f);
  buf[n] = 0;
  *len = (uint32_t)n;
  return buf;
}

/* ---- a reader for the generated golden files: just what the test needs ---- */

#define MAX_VALUES 65536

typedef struct {
  const char *p;
} cursor;

static void skip_ws(cursor *c) {
  while (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t') c->p++;
}

static void expect_char(cursor *c, char ch) {
  skip_ws(c);
  assert_int_equal(*c->p, ch);
  c->p++;
}

/* [[v, ...], ...]: the first inner array's values into out; returns their count. */
static size_t nested_array(cursor *c, double *out) {
  size_t n = 0;
  expect_char(c, '[');
  for (int inner = 0;; inner++) {
    expect_char(c, '[');
    skip_ws(c);
    while (*c->p != ']') {
      char *end = NULL;
      double v = strtod(c->p, &end);
      assert_true(end != c->p);
      if (inner == 0) {
        assert_true(n < MAX_VALUES);
        out[n++] = v;
      }
      c->p = end;
      skip_ws(c);
      if (*c->p == ',') c->p++;
      skip_ws(c);
    }
    c->p++;
    skip_ws(c);
    if (*c->p == ',') {
      c->p++;
      continue;
    }
    expect_char(c, ']');
    return n;
  }
}

/* Whether the first "dtype" after section is float32. */
static bool is_float(const char *text, const char *section) {
  const char *s = strstr(text, section);
  assert_non_null(s);
  const char *d = strstr(s, "\"dtype\"");
  assert_non_null(d);
  return strncmp(strchr(d + 7, '"'), "\"float32\"", 9) == 0;
}

static void set_input(fp_tensor *in, const double *v, size_t n) {
  assert_int_equal(n, (size_t)in->count);
  for (size_t i = 0; i < n; i++) {
    if (in->type == FP_TYPE_FLOAT32) {
      float f = (float)v[i];
      memcpy(in->data + 4 * i, &f, 4);
    } else {
      in->data[i] = (uint8_t)(int8_t)v[i];
    }
  }
}

static double output_value(const fp_tensor *out, size_t i) {
  if (out->type == FP_TYPE_FLOAT32) {
    float f;
    memcpy(&f, out->cdata + 4 * i, 4);
    return (double)f;
  }
  return (double)(int8_t)out->cdata[i];
}

/* A flash port over a byte array, for load. */
typedef struct {
  const uint8_t *bytes;
  uint32_t len;
} mem_flash;

static fp_err mem_read(void *ctx, uint32_t offset, uint8_t *out, uint32_t len) {
  mem_flash *m = ctx;
  if (offset > m->len || len > m->len - offset) return FP_ERR_OUT_OF_RANGE;
  memcpy(out, m->bytes + offset, len);
  return FP_OK;
}

static fp_flash_port flash_over(mem_flash *m) {
  fp_flash_port p = {m, NULL, NULL, mem_read};
  return p;
}

static unsigned GOLDEN_VECTORS, GOLDEN_MODELS, PORT_VECTORS, BEYOND_MODELS;

/* The first operator the golden file lists that the runner does not name in HELLO, or NULL. */
static const char *operator_beyond(const char *text, const fp_runner_port *port, char *name,
                                   size_t cap) {
  const char *p = strstr(text, "\"operators\"");
  const char *end = p == NULL ? NULL : strchr(p, ']');
  if (p == NULL || end == NULL) return NULL;
  p = strchr(p, '[');
  while (p != NULL && (p = strchr(p + 1, '"')) != NULL && p < end) {
    const char *close = strchr(p + 1, '"');
    size_t len = (size_t)(close - p - 1);
    bool known = false;
    for (size_t i = 0; i < port->operator_count; i++) {
      if (strlen(port->operators[i]) == len && strncmp(port->operators[i], p + 1, len) == 0) {
        known = true;
      }
    }
    if (!known) {
      snprintf(name, cap, "%.*s", (int)len, p + 1);
      return name;
    }
    p = close;
  }
  return NULL;
}

/* Every vector of one golden file, through the interpreter on a large arena and, when the model
 * fits the runner's buffers, through the runner port too (int8 or float32 interface). */
static void check_golden(const char *file) {
  uint32_t len = 0;
  char *text = (char *)read_file(fixtures(), file, &len);
  assert_non_null(text);
  const char *m = strstr(text, "\"model\"");
  assert_non_null(m);
  char model_name[128];
  assert_int_equal(sscanf(strchr(m + 7, '"'), "\"%127[^\"]\"", model_name), 1);
  uint32_t model_len = 0;
  uint8_t *model = read_file(fixtures(), model_name, &model_len);
  assert_non_null(model);
  bool float_in = is_float(text, "\"inputs\""), float_out = is_float(text, "\"outputs\"");

  /* A fixture of an operator the Java interpreter runs and this runner does not (yet): it must
   * be refused, naming an operator outside the runner's list, never run wrongly. */
  char beyond[64];
  if (operator_beyond(text, fp_runner_int8(), beyond, sizeof beyond) != NULL) {
    assert_int_not_equal(fp_int8_init(&IT, model, model_len, BIG, BIG_ARENA), FP_OK);
    assert_non_null(strstr(IT.reason, "does not run"));
    print_message("%-32s refused: it uses %s, beyond this runner\n", model_name, beyond);
    BEYOND_MODELS++;
    free(model);
    free(text);
    return;
  }

  fp_err err = fp_int8_init(&IT, model, model_len, BIG, BIG_ARENA);
  if (err != FP_OK) fail_msg("%s: %s", model_name, IT.reason);
  mem_flash mf = {model, model_len};
  fp_flash_port flash = flash_over(&mf);
  const fp_runner_port *port = fp_runner_int8();
  bool via_port = port->load(port->ctx, &flash, 0, model_len) == FP_OK;
  bool fits = model_len <= FP_RUNNER_MODEL_MAX && fp_int8_arena_used(&IT) <= FP_RUNNER_ARENA_BYTES;
  assert_int_equal(via_port, fits);
  if (via_port) {
    fp_model_info info;
    assert_int_equal(port->info(port->ctx, &info), FP_OK);
    assert_int_equal(info.input_type, float_in ? FP_TENSOR_FLOAT32 : FP_TENSOR_INT8);
    assert_int_equal(info.output_type, float_out ? FP_TENSOR_FLOAT32 : FP_TENSOR_INT8);
  }

  static double in[MAX_VALUES], want[MAX_VALUES];
  cursor c = {strstr(text, "\"vectors\"")};
  assert_non_null(c.p);
  unsigned vectors = 0, mismatches = 0;
  while ((c.p = strstr(c.p, "\"input\"")) != NULL) {
    c.p = strchr(c.p, ':') + 1;
    size_t n_in = nested_array(&c, in);
    c.p = strstr(c.p, "\"output\"");
    assert_non_null(c.p);
    c.p = strchr(c.p, ':') + 1;
    size_t n_out = nested_array(&c, want);
    fp_tensor *input = fp_int8_input(&IT, 0);
    const fp_tensor *output = fp_int8_output(&IT, 0);
    set_input(input, in, n_in);
    assert_int_equal(fp_int8_invoke(&IT), FP_OK);
    assert_int_equal(n_out, (size_t)output->count);
    for (size_t i = 0; i < n_out; i++) {
      if (output_value(output, i) != want[i]) {
        if (mismatches++ < 5) {
          print_error("%s vector %u output %zu: expected %.17g got %.17g\n", model_name, vectors, i,
                      want[i], output_value(output, i));
        }
      }
    }
    if (via_port) {
      static int8_t raw_in[MAX_VALUES], raw_out[MAX_VALUES];
      static float float_in_values[MAX_VALUES], float_out_values[MAX_VALUES];
      for (size_t i = 0; i < n_in; i++) {
        raw_in[i] = (int8_t)in[i];
        float_in_values[i] = (float)in[i];
      }
      size_t out_len = 0;
      uint64_t cycles = 0;
      assert_int_equal(port->invoke(port->ctx, float_in ? (void *)float_in_values : (void *)raw_in,
                                    n_in, float_out ? (void *)float_out_values : (void *)raw_out,
                                    MAX_VALUES, &out_len, &cycles),
                       FP_OK);
      assert_int_equal(out_len, n_out);
      for (size_t i = 0; i < n_out; i++) {
        double got = float_out ? (double)float_out_values[i] : (double)raw_out[i];
        assert_true(got == want[i]);
      }
      assert_true(cycles >= 600);
      PORT_VECTORS++;
    }
    vectors++;
  }
  assert_true(vectors > 0);
  if (mismatches) fail_msg("%s: %u mismatching values", model_name, mismatches);
  print_message("%-32s %3u vectors exact; arena %u bytes (head %u)%s\n", model_name, vectors,
                (unsigned)fp_int8_arena_used(&IT), (unsigned)IT.head,
                via_port ? ", through the port too" : "");
  GOLDEN_VECTORS += vectors;
  GOLDEN_MODELS++;
  free(model);
  free(text);
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

static void every_golden_vector_exact(void **state) {
  (void)state;
  DIR *d = opendir(fixtures());
  if (d == NULL) fail_msg("no fixture folder %s (set FP_FIXTURES_DIR)", fixtures());
  char names[32][128];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 32) {
    size_t l = strlen(e->d_name);
    if (l > 12 && strcmp(e->d_name + l - 12, ".golden.json") == 0) {
      snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
  }
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  assert_true(n >= 8);
  for (size_t i = 0; i < n; i++) check_golden(names[i]);
  print_message("golden: %u vectors of %u models exact, %u of them through the runner port; %u"
                " models use operators beyond this runner\n",
                GOLDEN_VECTORS, GOLDEN_MODELS, PORT_VECTORS, BEYOND_MODELS);
}

static fp_err load_fixture(const char *name, uint8_t **model, uint32_t *len) {
  *model = read_file(fixtures(), name, len);
  assert_non_null(*model);
  mem_flash mf = {*model, *len};
  fp_flash_port flash = flash_over(&mf);
  const fp_runner_port *port = fp_runner_int8();
  return port->load(port->ctx, &flash, 0, *len);
}

static void refuses_what_it_cannot_run(void **state) {
  (void)state;
  uint8_t *model;
  uint32_t len;
  assert_int_equal(load_fixture("float_model.tflite", &model, &len), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(fp_runner_int8_reason(), "float32"));
  free(model);
  assert_int_equal(load_fixture("too_large.tflite", &model, &len), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(fp_runner_int8_reason(), "more than the runner's"));
  free(model);
  fp_runner_io io;
  assert_false(fp_runner_int8_input(&io));
  const fp_runner_port *port = fp_runner_int8();
  int8_t x[4] = {0}, y[4];
  size_t n;
  uint64_t cycles;
  assert_int_equal(port->invoke(port->ctx, x, 4, y, 4, &n, &cycles), FP_ERR_MODEL_INVALID);
}

static void port_describes_the_loaded_model(void **state) {
  (void)state;
  uint8_t *model;
  uint32_t len;
  assert_int_equal(load_fixture("dense_anomaly.tflite", &model, &len), FP_OK);
  const fp_runner_port *port = fp_runner_int8();
  assert_int_equal(port->operator_count, 14);
  assert_string_equal(port->operators[0], "FULLY_CONNECTED");
  assert_int_equal(port->arena_bytes, FP_RUNNER_ARENA_BYTES);
  fp_model_info info;
  assert_int_equal(port->info(port->ctx, &info), FP_OK);
  assert_int_equal(info.input_len, 4);
  assert_int_equal(info.input_zero_point, -18);
  assert_true(info.input_scale > 0.0592f && info.input_scale < 0.0593f);
  assert_int_equal(info.output_len, 1);
  assert_int_equal(info.output_zero_point, -128);
  assert_true(info.output_scale == 1.0f / 256);
  fp_runner_io io;
  assert_true(fp_runner_int8_output(&io));
  assert_int_equal(io.type, FP_TYPE_INT8);
  int8_t x[5] = {51, -69, 31, -75, 0}, y[1];
  size_t n;
  uint64_t cycles;
  assert_int_equal(port->invoke(port->ctx, x, 5, y, 1, &n, &cycles), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(fp_runner_int8_reason(), "takes 4"));
  assert_int_equal(port->invoke(port->ctx, x, 4, y, 1, &n, &cycles), FP_OK);
  assert_int_equal(y[0], 90);
  /* 4*16 + 16*8 + 8*1 FULLY_CONNECTED MACs at 8 cycles, 4 operators at 741 */
  assert_int_equal(cycles, 8 * (64 + 128 + 8) + 4 * 741);
  free(model);
  /* a model with a float32 interface: the port describes and runs it with floats */
  assert_int_equal(load_fixture("quant_dequant.tflite", &model, &len), FP_OK);
  assert_int_equal(port->info(port->ctx, &info), FP_OK);
  assert_int_equal(info.input_type, FP_TENSOR_FLOAT32);
  assert_int_equal(info.input_len, 4);
  assert_true(info.input_scale == 0.0f);
  assert_int_equal(info.output_type, FP_TENSOR_FLOAT32);
  assert_int_equal(info.output_len, 2);
  assert_true(fp_runner_int8_input(&io));
  assert_int_equal(io.type, FP_TYPE_FLOAT32);
  assert_int_equal(io.count, 4);
  assert_non_null(fp_runner_int8_interpreter());
  float fx[5] = {0.1f, 0.2f, 0.3f, 0.4f, 0}, fy[4];
  assert_int_equal(port->invoke(port->ctx, fx, 5, fy, 4, &n, &cycles), FP_ERR_MODEL_INVALID);
  assert_non_null(strstr(fp_runner_int8_reason(), "takes 4 float32 values, 5 were given"));
  assert_int_equal(port->invoke(port->ctx, fx, 4, fy, 1, &n, &cycles), FP_ERR_MODEL_INVALID);
  assert_int_equal(port->invoke(port->ctx, fx, 4, fy, 4, &n, &cycles), FP_OK);
  assert_int_equal(n, 2); /* the values: every golden vector, through the port, above */
  /* QUANTIZE, two FULLY_CONNECTED (48 MACs), DEQUANTIZE: the same estimate as an int8 model */
  assert_int_equal(fp_runner_int8_interpreter()->op_count, 4);
  assert_int_equal(fp_runner_int8_interpreter()->macs, 48);
  assert_int_equal(cycles, 8 * 48 + 4 * 741);
  free(model);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_golden_vector_exact),
      cmocka_unit_test(refuses_what_it_cannot_run),
      cmocka_unit_test(port_describes_the_loaded_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
