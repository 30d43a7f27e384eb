#include <stdbool.h>

#include "driver/uart.h"
#include "fp_config.h"
#include "fp_esp32_port.h"
#include "freertos/FreeRTOS.h"
#include "sdkconfig.h"

#define UART ((uart_port_t)CONFIG_FIELDPROOF_UART_NUM)
/* A whole encoded frame and its delimiter, twice: the host may send the next request while the
 * task still answers one. */
#define RX_BUFFER (2 * (FP_MAX_ENCODED_FRAME + 1))

esp_err_t fp_esp32_uart_init(void) {
  const uart_config_t config = {
      .baud_rate = CONFIG_FIELDPROOF_UART_BAUD,
      .data_bits = UART_DATA_8_BITS,
      .parity = UART_PARITY_DISABLE,
      .stop_bits = UART_STOP_BITS_1,
      .flow_ctrl = UART_HW_FLOWCTRL_DISABLE,
      .source_clk = UART_SCLK_DEFAULT,
  };
  esp_err_t err = uart_driver_install(UART, RX_BUFFER, 0, 0, NULL, 0);
  if (err == ESP_OK) err = uart_param_config(UART, &config);
  if (err == ESP_OK) {
    err = uart_set_pin(UART, CONFIG_FIELDPROOF_UART_TX_PIN, CONFIG_FIELDPROOF_UART_RX_PIN,
                       UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE);
  }
  return err;
}

/* Each frame goes out after a 0x00 of its own: receivers ignore empty frames, and the delimiter
 * cuts off whatever a console log left on the line before it (device-protocol.md §1). */
static fp_err uart_write(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  static const uint8_t DELIMITER = 0;
  if (uart_write_bytes(UART, &DELIMITER, 1) != 1) return FP_ERR_IO;
  return uart_write_bytes(UART, data, len) == (int)len ? FP_OK : FP_ERR_IO;
}

const fp_stream_port *fp_esp32_uart_stream(void) {
  static const fp_stream_port STREAM = {0, uart_write};
  return &STREAM;
}

size_t fp_esp32_uart_read(uint8_t *out, size_t cap, uint32_t wait_ms) {
  int n = uart_read_bytes(UART, out, (uint32_t)cap, pdMS_TO_TICKS(wait_ms));
  return n > 0 ? (size_t)n : 0;
}
