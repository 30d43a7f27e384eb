/* Sensors of a board with nothing wired: each input reads its operating point, as the host
 * port's sensors do. A board with real sensors replaces this file. */
#include "stm32f4_board.h"

static bool read_sensor(void *ctx, unsigned index, const fp_sensor_input *input, double *value) {
  (void)ctx;
  (void)index;
  *value = input->baseline;
  return true;
}

const fp_sensor_port *fp_stm32_sensors(void) {
  static const fp_sensor_port SENSORS = {0, read_sensor};
  return &SENSORS;
}
