/*
 * The Fieldproof firmware on ESP-IDF: call fieldproof_start() once from app_main. It boots the
 * device (slot records and boot rules on the "fpmodels" partition), then serves the device
 * protocol on the configured UART from a FreeRTOS task of its own. Settings are in menuconfig,
 * "Fieldproof firmware".
 */
#ifndef FIELDPROOF_H
#define FIELDPROOF_H

#include "esp_err.h"

/* ESP_ERR_NOT_FOUND when the partition is missing, ESP_ERR_INVALID_SIZE when it does not cover
 * the chip's slot layout, ESP_FAIL when the device cannot boot; ESP_OK once the task runs. */
esp_err_t fieldproof_start(void);

#endif
