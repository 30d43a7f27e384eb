#include "stm32f4_options.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char *next_word(char **cursor) {
  char *p = *cursor;
  while (*p == ' ') p++;
  if (*p == '\0') return NULL;
  char *word = p;
  while (*p != ' ' && *p != '\0') p++;
  if (*p == ' ') *p++ = '\0';
  *cursor = p;
  return word;
}

static bool parse_integer(const char *text, int64_t *out) {
  char *end = NULL;
  long long v = strtoll(text, &end, 10);
  if (end == text || *end != '\0') return false;
  *out = v;
  return true;
}

fp_err fp_stm32_options_parse(char *line, fp_stm32_options *o) {
  o->seed = 1;
  o->device_id = NULL;
  o->flash_file = "fieldproof-stm32f4.flash";
  o->firmware = NULL;
  o->telemetry_ms = 1000;
  o->power_cut_after = -1;
  o->cycles = FP_STM32_CYCLES_ESTIMATE;
  char *cursor = line;
  char *word = next_word(&cursor);
  while (word != NULL && strncmp(word, "--", 2) != 0) word = next_word(&cursor);
  for (; word != NULL; word = next_word(&cursor)) {
    char *value = next_word(&cursor);
    int64_t number = 0;
    if (value == NULL) return FP_ERR_ARG;
    if (strcmp(word, "--seed") == 0 && parse_integer(value, &number)) {
      o->seed = number;
    } else if (strcmp(word, "--device-id") == 0) {
      o->device_id = value;
    } else if (strcmp(word, "--flash-file") == 0) {
      o->flash_file = value;
    } else if (strcmp(word, "--firmware") == 0) {
      o->firmware = value;
    } else if (strcmp(word, "--telemetry-ms") == 0 && parse_integer(value, &number) &&
               number >= 1 && number <= 3600000) {
      o->telemetry_ms = (uint32_t)number;
    } else if (strcmp(word, "--power-cut-after") == 0 && parse_integer(value, &number) &&
               number >= 0) {
      o->power_cut_after = number;
    } else if (strcmp(word, "--cycles") == 0 && strcmp(value, "estimate") == 0) {
      o->cycles = FP_STM32_CYCLES_ESTIMATE;
    } else if (strcmp(word, "--cycles") == 0 && strcmp(value, "systick") == 0) {
      o->cycles = FP_STM32_CYCLES_SYSTICK;
    } else if (strcmp(word, "--cycles") == 0 && strcmp(value, "instructions") == 0) {
      o->cycles = FP_STM32_CYCLES_INSTRUCTIONS;
    } else {
      return FP_ERR_ARG;
    }
  }
  return FP_OK;
}
