/*
 * fieldproof_start: boots the core on the ESP-IDF ports and runs it in a task of its own. The
 * task takes what the UART received (waiting at most 5 ms), hands it to the core, and lets the
 * core send TELEMETRY when a sampling period has passed; everything else is the core's.
 */
#include "fieldproof.h"

#include "esp_log.h"
#include "fp_device.h"
#include "fp_esp32_port.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "sdkconfig.h"
#if defined(CONFIG_FIELDPROOF_RUNNER_INT8)
#include "fp_runner_int8.h"
#else
#include "fp_runner_none.h"
#endif

#if defined(CONFIG_FIELDPROOF_CHIP_ESP32S3)
#define CHIP "esp32s3"
#else
#define CHIP "esp32"
#endif
#define FIRMWARE_VERSION "0.1.0+fieldproof-c-idf"

static const char *TAG = "fieldproof";
static fp_device dev; /* all the core's memory */
static char device_id[32];

static void fieldproof_task(void *arg) {
  (void)arg;
  static uint8_t received[512];
  for (;;) {
    size_t n = fp_esp32_uart_read(received, sizeof received, 5);
    if (n > 0) fp_device_receive(&dev, received, n);
    fp_device_poll(&dev);
  }
}

esp_err_t fieldproof_start(void) {
  const fp_layout *layout = fp_layout_for_chip(CHIP);
  esp_err_t err = fp_esp32_flash_init(CONFIG_FIELDPROOF_PARTITION_LABEL, layout);
  if (err != ESP_OK) {
    ESP_LOGE(TAG, "partition %s: %s (it must cover 0x%lx..0x%lx)", CONFIG_FIELDPROOF_PARTITION_LABEL,
             esp_err_to_name(err), (unsigned long)layout->record[0],
             (unsigned long)(layout->slot[1] + layout->slot_size));
    return err;
  }
  err = fp_esp32_device_id(device_id, sizeof device_id);
  if (err == ESP_OK) err = fp_esp32_uart_init();
  if (err != ESP_OK) return err;
#if defined(CONFIG_FIELDPROOF_RUNNER_INT8)
  const fp_runner_port *runner = fp_runner_int8();
#else
  const fp_runner_port *runner = fp_runner_none();
#endif
  static fp_ports ports;
  ports = (fp_ports){fp_esp32_uart_stream(), fp_esp32_flash(), fp_esp32_clock(),
                     fp_esp32_sensors(), runner, NULL /* no battery ADC or RSSI read yet */};
  fp_identity id = {device_id, CHIP, FIRMWARE_VERSION, CONFIG_FIELDPROOF_TELEMETRY_MS};
  fp_err boot = fp_device_init(&dev, &id, &ports);
  if (boot != FP_OK) {
    ESP_LOGE(TAG, "boot failed: %s", fp_err_name(boot));
    return ESP_FAIL;
  }
  ESP_LOGI(TAG, "%s %s on UART%d", device_id, CHIP, CONFIG_FIELDPROOF_UART_NUM);
  if (xTaskCreate(fieldproof_task, "fieldproof", CONFIG_FIELDPROOF_TASK_STACK, NULL,
                  CONFIG_FIELDPROOF_TASK_PRIORITY, NULL) != pdPASS) {
    return ESP_ERR_NO_MEM;
  }
  return ESP_OK;
}
