/*
 * The ESP-IDF port of the Fieldproof core: the line over a UART driver, NOR flash over one data
 * partition, the millisecond clock over esp_timer, the device id from the base MAC, and sensors
 * that read the operating point. Every function here is a thin adaptor: the logic is the core's.
 */
#ifndef FP_ESP32_PORT_H
#define FP_ESP32_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "esp_err.h"
#include "fp_layout.h"
#include "fp_port.h"

/* UART: driver installed with a receive buffer large enough for one whole frame. */
esp_err_t fp_esp32_uart_init(void);
const fp_stream_port *fp_esp32_uart_stream(void);
/* Waits up to wait_ms for received bytes; returns how many were taken (0: none). */
size_t fp_esp32_uart_read(uint8_t *out, size_t cap, uint32_t wait_ms);

/* Flash: the partition labelled label, which must hold layout's records and slots. Offsets of
 * the port are the chip's flash addresses (the layout's), translated to the partition's. */
esp_err_t fp_esp32_flash_init(const char *label, const fp_layout *layout);
const fp_flash_port *fp_esp32_flash(void);

/* Clock, device id and sensors. */
const fp_clock_port *fp_esp32_clock(void);
esp_err_t fp_esp32_device_id(char *out, size_t cap); /* "esp32-" + 12 hex of the base MAC */
const fp_sensor_port *fp_esp32_sensors(void);

#endif
