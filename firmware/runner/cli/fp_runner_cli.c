/*
 * fp-runner-cli: the int8 runner on the host, for checking it against tflite-micro
 * (runner/crosscheck.sh). Reads one vector of input 0 per line of stdin (numbers separated by
 * spaces or commas: int8 values, or reals for a float32 input) and prints output 0 of each on one
 * line (int8 values, or each float32 as the exact double it holds, %.17g).
 *
 *   fp-runner-cli MODEL.tflite < vectors
 *   fp-runner-cli --describe MODEL.tflite   prints "input <type> <count> <scale> <zero point>" and
 *                                           the same for the output, and the arena it takes
 *
 * A host tool: its model buffer and arena are 1 MiB each, so the large fixtures run too.
 * Exits 2 on bad usage or input, 3 when the runner refuses the model (the reason on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_int8.h"

#define CLI_BYTES (1u << 20)

static _Alignas(16) uint8_t MODEL[CLI_BYTES];
static _Alignas(16) uint8_t ARENA[CLI_BYTES];
static char LINE[1u << 20];
static fp_int8 IT;

static const char *type_name(uint8_t type) {
  return type == FP_TYPE_INT8 ? "int8" : (type == FP_TYPE_FLOAT32 ? "float32" : "int32");
}

static void describe(const char *what, const fp_tensor *t) {
  printf("%s %s %d %.9g %d\n", what, type_name(t->type), (int)t->count, (double)t->scale,
         (int)t->zero_point);
}

static int run_lines(fp_tensor *in, const fp_tensor *out) {
  while (fgets(LINE, sizeof LINE, stdin) != NULL) {
    char *p = LINE;
    int32_t n = 0;
    for (;;) {
      while (*p == ' ' || *p == ',' || *p == '\t' || *p == '[' || *p == ']') p++;
      if (*p == '\n' || *p == '\0') break;
      char *end = NULL;
      double v = strtod(p, &end);
      if (end == p || n >= in->count) {
        fprintf(stderr, "fp-runner-cli: input line %s is not %d numbers\n", LINE, (int)in->count);
        return 2;
      }
      if (in->type == FP_TYPE_FLOAT32) {
        float f = (float)v;
        memcpy(in->data + 4 * n, &f, 4);
      } else {
        if (v < -128 || v > 127) {
          fprintf(stderr, "fp-runner-cli: %g is not an int8 value\n", v);
          return 2;
        }
        in->data[n] = (uint8_t)(int8_t)v;
      }
      n++;
      p = end;
    }
    if (n == 0) continue;
    if (n != in->count) {
      fprintf(stderr, "fp-runner-cli: %d values for an input of %d\n", (int)n, (int)in->count);
      return 2;
    }
    fp_int8_invoke(&IT);
    for (int32_t i = 0; i < out->count; i++) {
      if (out->type == FP_TYPE_FLOAT32) {
        float f;
        memcpy(&f, out->cdata + 4 * i, 4);
        printf(i ? " %.17g" : "%.17g", (double)f);
      } else {
        printf(i ? " %d" : "%d", (int)(int8_t)out->cdata[i]);
      }
    }
    printf("\n");
  }
  return 0;
}

int main(int argc, char **argv) {
  int describe_only = argc == 3 && strcmp(argv[1], "--describe") == 0;
  if (argc != 2 && !describe_only) {
    fprintf(stderr, "usage: fp-runner-cli [--describe] MODEL.tflite < vectors\n");
    return 2;
  }
  const char *path = argv[argc - 1];
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "fp-runner-cli: cannot open %s\n", path);
    return 2;
  }
  size_t len = fread(MODEL, 1, sizeof MODEL, f);
  fclose(f);
  if (fp_int8_init(&IT, MODEL, (uint32_t)len, ARENA, sizeof ARENA) != FP_OK) {
    fprintf(stderr, "fp-runner-cli: %s refused: %s\n", path, IT.reason);
    return 3;
  }
  fp_tensor *in = fp_int8_input(&IT, 0);
  const fp_tensor *out = fp_int8_output(&IT, 0);
  if (in == NULL || out == NULL || in->type == FP_TYPE_INT32 || out->type == FP_TYPE_INT32) {
    fprintf(stderr, "fp-runner-cli: %s has no int8 or float32 input 0 and output 0\n", path);
    return 3;
  }
  if (describe_only) {
    describe("input", in);
    describe("output", out);
    printf("arena %u head %u macs %llu operators %u\n", (unsigned)fp_int8_arena_used(&IT),
           (unsigned)IT.head, (unsigned long long)IT.macs, (unsigned)IT.op_count);
    return 0;
  }
  return run_lines(in, out);
}
