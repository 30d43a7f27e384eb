#define _POSIX_C_SOURCE 200809L
#include "fp_host_ports.h"

#include <time.h>

static uint64_t monotonic_ms(void *ctx) {
  (void)ctx;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const fp_clock_port *fp_host_clock(void) {
  static const fp_clock_port CLOCK = {0, monotonic_ms};
  return &CLOCK;
}

static uint64_t manual_ms(void *ctx) { return ((fp_manual_clock *)ctx)->now; }

void fp_manual_clock_init(fp_manual_clock *clock, uint64_t start) {
  clock->now = start;
  clock->port = (fp_clock_port){clock, manual_ms};
}

static bool read_sensor(void *ctx, unsigned index, const fp_sensor_input *input, double *value) {
  fp_host_sensors *s = ctx;
  if (index < 32 && (s->dropout_mask >> index) & 1u) return false;
  *value = index < 32 && (s->fixed_mask >> index) & 1u ? s->fixed_value[index] : input->baseline;
  return true;
}

void fp_host_sensors_init(fp_host_sensors *sensors) {
  sensors->dropout_mask = 0;
  sensors->fixed_mask = 0;
  sensors->port = (fp_sensor_port){sensors, read_sensor};
}

void fp_host_sensors_set(fp_host_sensors *sensors, unsigned index, bool present, double value) {
  if (index >= 32) return;
  uint32_t bit = 1u << index;
  sensors->dropout_mask = present ? sensors->dropout_mask & ~bit : sensors->dropout_mask | bit;
  sensors->fixed_mask |= bit;
  sensors->fixed_value[index] = value;
}
