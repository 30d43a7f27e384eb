/*
 * The runtime configuration a CONFIG carries: the checks every runtime makes before applying one
 * (device-protocol.md §4.2, the same as the Java emulator's RuntimeConfigValidator) and the
 * inputs it configures (names and the sensors' operating points). What the device runtime
 * evaluates (checks, normalization, decision, fallback, drift) is read by fp_runtime_config.
 */
#ifndef FP_RTCONFIG_H
#define FP_RTCONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"
#include "fp_json.h"
#include "fp_port.h"

typedef struct {
  char name[FP_MAX_INPUT_NAME_BYTES + 1];
  double baseline;
  double scale;
} fp_rt_input;

typedef struct {
  uint8_t input_count;
  fp_rt_input inputs[FP_MAX_INPUTS];
} fp_rtconfig;

/*
 * Checks the config value (token cfg of doc). FP_ERR_INVALID_CONFIG with a reason in msg when the
 * runtime cannot apply it: not an object; reportIntervalSeconds present (not null) and not a
 * positive number; no inputs array; more than FP_MAX_INPUTS inputs; an input that is not an object
 * with a non-empty string name of at most FP_MAX_INPUT_NAME UTF-16 units; a name twice.
 */
fp_err fp_rtconfig_check(const fp_json_doc *doc, int cfg, char *msg, size_t msg_cap);

/* Fills out from a config that passed fp_rtconfig_check (the applied configuration is only
 * overwritten once the new one is known to be good, so one copy is enough). */
void fp_rtconfig_load(const fp_json_doc *doc, int cfg, fp_rtconfig *out);

#endif
