/*
 * Runs the conformance cases of firmware/conformance/ (every .case file) against the firmware core on host
 * ports. Cases listed in conformance/known-disagreements.txt as wrong on the c side must fail,
 * every other case must pass (so a fixed disagreement shows up as a failure to update the list).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fp_runner_int8.h"
#include "fp_test_support.h"

static fp_test_device T;

/* ---- body patterns: verbatim, <n> number, <s> string characters, <v> any value ---- */

static const char *skip_number(const char *s) {
  const char *from = s;
  while (*s && strchr("+-0123456789.eE", *s)) s++;
  return s > from ? s : NULL;
}

static const char *skip_string_chars(const char *s) {
  while (*s && *s != '"') s += (*s == '\\' && s[1]) ? 2 : 1;
  return s;
}

static const char *skip_value(const char *s) {
  if (*s == '"') {
    s = skip_string_chars(s + 1);
    return *s == '"' ? s + 1 : NULL;
  }
  if (*s == '{' || *s == '[') {
    int depth = 0;
    do {
      if (*s == '"') {
        s = skip_string_chars(s + 1);
        if (*s != '"') return NULL;
      } else if (*s == '{' || *s == '[') {
        depth++;
      } else if (*s == '}' || *s == ']') {
        depth--;
      } else if (*s == 0) {
        return NULL;
      }
      s++;
    } while (depth > 0);
    return s;
  }
  if (strncmp(s, "null", 4) == 0 || strncmp(s, "true", 4) == 0) return s + 4;
  if (strncmp(s, "false", 5) == 0) return s + 5;
  return skip_number(s);
}

static int body_matches(const char *pat, const char *body) {
  while (*pat) {
    if (strncmp(pat, "<n>", 3) == 0) {
      body = skip_number(body);
      pat += 3;
    } else if (strncmp(pat, "<s>", 3) == 0) {
      body = skip_string_chars(body);
      pat += 3;
    } else if (strncmp(pat, "<v>", 3) == 0) {
      body = skip_value(body);
      pat += 3;
    } else {
      if (*pat != *body) return 0;
      pat++;
      body++;
    }
    if (body == NULL) return 0;
  }
  return *body == 0;
}

/* ---- directives ---- */

static size_t hex_bytes(const char *s, uint8_t *out, size_t cap) {
  size_t n = 0;
  while (*s) {
    while (*s == ' ') s++;
    if (!s[0] || !s[1] || n == cap) break;
    unsigned v = 0;
    if (sscanf(s, "%2x", &v) != 1) break;
    out[n++] = (uint8_t)v;
    s += 2;
  }
  return n;
}

/* The rest of the line after n space-separated words. */
static const char *after_words(const char *line, int n) {
  const char *s = line;
  for (int i = 0; i < n; i++) {
    while (*s && *s != ' ') s++;
    if (*s == ' ') s++;
  }
  return s;
}

static int slot_of(const char *s) { return s[0] == 'A' || s[0] == '0' ? FP_SLOT_A : FP_SLOT_B; }

static uint8_t model[512 * 1024];

static fp_err stage_bytes(int slot, uint32_t length, const char *name, const char *version) {
  fp_slots *slots = &T.dev.slots;
  fp_err err = fp_slots_begin_update(slots, slot);
  if (err == FP_OK) err = fp_slots_write(slots, slot, 0, model, length);
  uint8_t sha[FP_SHA256_BYTES];
  fp_sha256 ctx;
  fp_sha256_init(&ctx);
  fp_sha256_update(&ctx, model, length);
  fp_sha256_final(&ctx, sha);
  if (err == FP_OK) err = fp_slots_commit(slots, slot, length, sha, name, version);
  return err;
}

static fp_err stage(int slot, uint32_t length, uint32_t seed, const char *name,
                    const char *version) {
  for (uint32_t i = 0; i < length; i++) model[i] = fp_test_gen(seed, i);
  return stage_bytes(slot, length, name, version);
}

/* A model file of model/fixtures/models (FP_FIXTURES_DIR) into model[]; 0 when unreadable. */
static uint32_t read_fixture(const char *file) {
  const char *dir = getenv("FP_FIXTURES_DIR");
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "../model/fixtures/models", file);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  size_t n = fread(model, 1, sizeof model, f);
  fclose(f);
  return (uint32_t)n;
}

static char failure[8192];

static int mismatch(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(failure, sizeof failure, fmt, args);
  va_end(args);
  return 0;
}

/* Runs one directive; 0 with a reason in `failure` when the device disagrees. */
static int directive(const char *line) {
  char word[32] = {0};
  sscanf(line, "%31s", word);
  static uint8_t bytes[FP_MAX_BODY + 16];
  unsigned type = 0, flags = 0, id = 0;
  if (strcmp(word, "request") == 0 || strcmp(word, "request-hex") == 0) {
    sscanf(line, "%*s %x %u", &type, &id);
    const char *body = after_words(line, 3);
    if (strcmp(word, "request") == 0) {
      fp_test_send(&T, (uint8_t)type, 0, (uint16_t)id, body, strlen(body));
    } else {
      size_t n = hex_bytes(body, bytes, sizeof bytes);
      fp_test_send(&T, (uint8_t)type, 0, (uint16_t)id, bytes, n);
    }
    return 1;
  }
  if (strcmp(word, "frame") == 0) {
    sscanf(line, "%*s %x %x %u", &type, &flags, &id);
    const char *body = after_words(line, 4);
    fp_test_send(&T, (uint8_t)type, (uint8_t)flags, (uint16_t)id, body, strlen(body));
    return 1;
  }
  if (strcmp(word, "line") == 0) {
    size_t n = hex_bytes(after_words(line, 1), bytes, sizeof bytes);
    fp_device_receive(&T.dev, bytes, n);
    return 1;
  }
  if (strcmp(word, "line-fill") == 0) {
    unsigned value = 0, count = 0;
    sscanf(line, "%*s %x %u", &value, &count);
    for (unsigned i = 0; i < count; i++) {
      uint8_t b = (uint8_t)value;
      fp_device_receive(&T.dev, &b, 1);
    }
    return 1;
  }
  if (strcmp(word, "write") == 0) {
    unsigned slot = 0, offset = 0, length = 0, seed = 0;
    sscanf(line, "%*s %u %x %u %u %u %u", &slot, &flags, &offset, &length, &seed, &id);
    bytes[0] = (uint8_t)slot;
    bytes[1] = (uint8_t)flags;
    bytes[2] = bytes[3] = 0;
    for (int i = 0; i < 4; i++) bytes[4 + i] = (uint8_t)(offset >> (8 * i));
    for (unsigned i = 0; i < length; i++) bytes[8 + i] = fp_test_gen(seed, offset + i);
    fp_test_send(&T, FP_MSG_SLOT_WRITE, 0, (uint16_t)id, bytes, 8u + length);
    return 1;
  }
  if (strcmp(word, "expect") == 0) {
    sscanf(line, "%*s %x %x %u", &type, &flags, &id);
    const char *pattern = after_words(line, 4);
    const fp_test_frame *f = fp_test_next(&T);
    if (f == NULL) return mismatch("expected a frame, got none");
    if (f->type != type || f->flags != flags || f->request_id != id || !body_matches(pattern,
                                                                                  (const char *)f->body)) {
      return mismatch("expected %02x %02x %u %s\n       got %02x %02x %u %s", type, flags, id, pattern,
                  f->type, f->flags, f->request_id, f->body);
    }
    return 1;
  }
  if (strcmp(word, "expect-none") == 0) {
    const fp_test_frame *f = fp_test_next(&T);
    if (f != NULL) return mismatch("expected nothing, got %02x %02x %u %s", f->type, f->flags,
                               f->request_id, f->body);
    return 1;
  }
  if (strcmp(word, "stage") == 0 || strcmp(word, "provision") == 0) {
    char slot[4], name[64], version[64];
    unsigned length = 0, seed = 0;
    sscanf(line, "%*s %3s %u %u %63s %63s", slot, &length, &seed, name, version);
    fp_err err = stage(slot_of(slot), length, seed, name, version);
    if (err == FP_OK && word[0] == 'p') err = fp_device_reboot(&T.dev);
    if (err == FP_OK && word[0] == 'p') err = fp_slots_confirm(&T.dev.slots);
    if (err != FP_OK) return mismatch("%s failed: %s", word, fp_err_name(err));
    return 1;
  }
  if (strcmp(word, "provision-file") == 0) {
    char slot[4], file[128], name[64], version[64];
    sscanf(line, "%*s %3s %127s %63s %63s", slot, file, name, version);
    uint32_t length = read_fixture(file);
    if (length == 0) return mismatch("provision-file: cannot read %s", file);
    fp_err err = stage_bytes(slot_of(slot), length, name, version);
    if (err == FP_OK) err = fp_device_reboot(&T.dev);
    if (err == FP_OK) err = fp_slots_confirm(&T.dev.slots);
    if (err != FP_OK) return mismatch("provision-file failed: %s", fp_err_name(err));
    return 1;
  }
  if (strcmp(word, "program") == 0) {
    char region[16];
    unsigned offset = 0;
    sscanf(line, "%*s %15s %u", region, &offset);
    size_t n = hex_bytes(after_words(line, 3), bytes, sizeof bytes);
    int slot = region[strlen(region) - 1] == 'A' ? FP_SLOT_A : FP_SLOT_B;
    uint32_t base = strncmp(region, "record", 6) == 0 ? T.dev.layout->record[slot]
                                                      : T.dev.layout->slot[slot];
    fp_err err = T.flash.port.program(T.flash.port.ctx, base + offset, bytes, (uint32_t)n);
    if (err != FP_OK) return mismatch("program failed: %s", fp_err_name(err));
    return 1;
  }
  if (strcmp(word, "reset") == 0) {
    fp_err err = fp_device_reboot(&T.dev);
    if (err != FP_OK) return mismatch("reset failed: %s", fp_err_name(err));
    return 1;
  }
  if (strcmp(word, "tick") == 0) {
    unsigned count = 1;
    sscanf(line, "%*s %u", &count);
    for (unsigned i = 0; i < count; i++) {
      T.clock.now += 1000;
      fp_device_poll(&T.dev);
    }
    return 1;
  }
  if (strcmp(word, "readings") == 0) {
    /* NAME=VALUE or NAME=null: what the named inputs read from now on */
    const char *s = after_words(line, 1);
    while (*s) {
      char item[256] = {0};
      int used = 0;
      if (sscanf(s, "%255s%n", item, &used) != 1) break;
      s += used;
      while (*s == ' ') s++;
      char *eq = strchr(item, '=');
      if (eq == NULL) return mismatch("readings: %s is not NAME=VALUE", item);
      *eq = 0;
      unsigned index = 0;
      while (index < T.dev.config.input_count && strcmp(T.dev.config.inputs[index].name, item) != 0) {
        index++;
      }
      if (index == T.dev.config.input_count) return mismatch("readings: no input %s", item);
      bool present = strcmp(eq + 1, "null") != 0;
      fp_host_sensors_set(&T.sensors, index, present, present ? strtod(eq + 1, NULL) : 0.0);
    }
    return 1;
  }
  return mismatch("unknown directive %s", word);
}

/* ---- files ---- */

typedef struct {
  char names[64][96];
  size_t count;
} name_list;

static int listed(const name_list *list, const char *name) {
  for (size_t i = 0; i < list->count; i++) {
    if (strcmp(list->names[i], name) == 0) return 1;
  }
  return 0;
}

static void load_disagreements(const char *dir, name_list *wrong_in_c) {
  char path[512];
  snprintf(path, sizeof path, "%s/known-disagreements.txt", dir);
  FILE *f = fopen(path, "r");
  if (f == NULL) return;
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char name[96], side[16];
    if (line[0] == '#' || sscanf(line, "%95s %15s", name, side) != 2) continue;
    if (strcmp(side, "c") == 0 && wrong_in_c->count < 64) {
      strcpy(wrong_in_c->names[wrong_in_c->count++], name);
    }
  }
  fclose(f);
}

static int run_file(const char *path, const name_list *wrong_in_c, int *cases) {
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  static char line[16384];
  char current[96] = "";
  int failed_case = 0, problems = 0, lineno = 0, open = 0;
  while (1) {
    char *got = fgets(line, sizeof line, f);
    if (got) {
      lineno++;
      line[strcspn(line, "\r\n")] = 0;
    }
    if (!got || strncmp(line, "case ", 5) == 0) {
      if (open) {
        if (!failed_case && fp_test_next(&T) != NULL) {
          failed_case = 1;
          snprintf(failure, sizeof failure, "frames left over at the end of the case");
        }
        int expected_fail = listed(wrong_in_c, current);
        if (failed_case != expected_fail) {
          problems++;
          if (failed_case) {
            printf("FAIL %s %s\n     %s\n", path, current, failure);
          } else {
            printf("PASS %s %s, but known-disagreements.txt says the C side fails it\n", path,
                   current);
          }
        } else {
          printf("%s %s%s\n", failed_case ? "known" : "ok  ", current,
                 failed_case ? " (listed in known-disagreements.txt)" : "");
        }
        fp_test_device_close(&T);
        open = 0;
      }
      if (!got) break;
      char chip[16] = "stm32f4";
      sscanf(line, "case %95s %15s", current, chip);
      assert_int_equal(fp_test_device_init(&T, chip), FP_OK);
      /* the firmware's own int8 runner, as the emulator runs its interpreter */
      T.dev.ports.runner = fp_runner_int8();
      open = 1;
      failed_case = 0;
      (*cases)++;
      continue;
    }
    if (line[0] == '#' || line[0] == 0 || failed_case || !open) continue;
    if (!directive(line)) {
      failed_case = 1;
      char reason[sizeof failure - 32];
      memcpy(reason, failure, sizeof reason);
      reason[sizeof reason - 1] = 0;
      snprintf(failure, sizeof failure, "line %d: %s", lineno, reason);
    }
  }
  fclose(f);
  return problems;
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

static void test_conformance_cases(void **state) {
  (void)state;
  const char *dir = getenv("FP_CONFORMANCE_DIR");
  if (dir == NULL) dir = "conformance";
  name_list wrong_in_c = {0};
  load_disagreements(dir, &wrong_in_c);
  DIR *d = opendir(dir);
  assert_non_null(d);
  static char files[32][256];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 32) {
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".case") == 0) {
      snprintf(files[n++], sizeof files[0], "%s/%s", dir, e->d_name);
    }
  }
  closedir(d);
  qsort(files, n, sizeof files[0], by_name);
  int problems = 0, cases = 0;
  for (size_t i = 0; i < n; i++) problems += run_file(files[i], &wrong_in_c, &cases);
  printf("%d conformance cases in %zu files, %d not as expected\n", cases, n, problems);
  assert_true(cases > 0);
  assert_int_equal(problems, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_conformance_cases)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
