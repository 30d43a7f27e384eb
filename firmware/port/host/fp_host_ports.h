/* The small host ports: a monotonic clock, a settable test clock, and sensors that read the
 * input's operating point (no noise, no scenarios: the emulator's synthetic sensors are not
 * ported), with dropouts and fixed readings settable for tests. */
#ifndef FP_HOST_PORTS_H
#define FP_HOST_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_port.h"

/* CLOCK_MONOTONIC in milliseconds. */
const fp_clock_port *fp_host_clock(void);

/* A clock that moves only when told (tests). */
typedef struct {
  uint64_t now;
  fp_clock_port port;
} fp_manual_clock;
void fp_manual_clock_init(fp_manual_clock *clock, uint64_t start);

/* Sensors at their operating point; input i drops out while dropout_mask bit i is set, and
 * reads fixed_value[i] while fixed_mask bit i is set (a test feeding a sensor sequence). */
typedef struct {
  uint32_t dropout_mask;
  uint32_t fixed_mask;
  double fixed_value[32];
  fp_sensor_port port;
} fp_host_sensors;
void fp_host_sensors_init(fp_host_sensors *sensors);

/* Input index reads value from now on (present false: drops out), until set again. */
void fp_host_sensors_set(fp_host_sensors *sensors, unsigned index, bool present, double value);

#endif
