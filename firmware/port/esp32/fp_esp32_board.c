/* The clock, the device id and the sensors of the ESP-IDF port. */
#include <stdio.h>

#include "esp_mac.h"
#include "esp_timer.h"
#include "fp_esp32_port.h"

static uint64_t now_ms(void *ctx) {
  (void)ctx;
  return (uint64_t)esp_timer_get_time() / 1000u;
}

const fp_clock_port *fp_esp32_clock(void) {
  static const fp_clock_port CLOCK = {0, now_ms};
  return &CLOCK;
}

esp_err_t fp_esp32_device_id(char *out, size_t cap) {
  uint8_t mac[6];
  esp_err_t err = esp_efuse_mac_get_default(mac);
  if (err != ESP_OK) return err;
  int n = snprintf(out, cap, "esp32-%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3],
                   mac[4], mac[5]);
  return n > 0 && (size_t)n < cap ? ESP_OK : ESP_ERR_INVALID_SIZE;
}

/* Nothing is wired: each input reads its operating point, as the host and stm32f4 ports do.
 * A product replaces this with its ADC, I2C or SPI readings (false = dropout). */
static bool read_sensor(void *ctx, unsigned index, const fp_sensor_input *input, double *value) {
  (void)ctx;
  (void)index;
  *value = input->baseline;
  return true;
}

const fp_sensor_port *fp_esp32_sensors(void) {
  static const fp_sensor_port SENSORS = {0, read_sensor};
  return &SENSORS;
}
