/*
 * fieldproof-fw-stm32f4: the firmware core on an STM32F405, serving the device protocol on
 * USART1. The board's loop takes the bytes the USART interrupt collected, hands them to the core,
 * lets the core send TELEMETRY when a sampling period has passed, and sleeps (WFI) until the next
 * SysTick or USART interrupt.
 *
 * Two builds (FP_STM32_FLASH in port.mk):
 *   semihost    for QEMU's netduinoplus2: flash in a host file and options from the command line,
 *               both through semihosting; prints "<device id> stm32f4 <flash file>" on QEMU's
 *               standard output once it has booted.
 *   controller  for a chip: the flash controller and the 96-bit unique id.
 */
#include <stdint.h>

#include "fp_device.h"
#include "fp_runner_int8.h"
#include "stm32f4_board.h"
#include "stm32f4_runner_cycles.h"

#if defined(FP_STM32_FLASH_SEMIHOST)
#include "fp_host_identity.h"
#include "stm32f4_flash_semihost.h"
#include "stm32f4_options.h"
#include "stm32f4_semihost.h"
#elif defined(FP_STM32_FLASH_CONTROLLER)
#include "stm32f4_flash_ctrl.h"
#include "stm32f4_identity.h"
#else
#error "define FP_STM32_FLASH_SEMIHOST or FP_STM32_FLASH_CONTROLLER"
#endif

#define CHIP "stm32f4"
#ifndef FP_FIRMWARE_VERSION
#define FP_FIRMWARE_VERSION "0.1.0+fieldproof-c-stm32f4"
#endif

/* The one device. */
static fp_device dev;
static char device_id[32];

/* Nothing is there to report the failure to but a debugger (or QEMU's output). */
static void halt(const char *why) {
#if defined(FP_STM32_FLASH_SEMIHOST)
  fp_semihost_print("fieldproof-fw-stm32f4: ");
  fp_semihost_print(why);
  fp_semihost_print("\n");
  fp_semihost_exit(1);
#else
  (void)why;
  for (;;) {
    __asm__ volatile("bkpt 1");
  }
#endif
}

#if defined(FP_STM32_FLASH_SEMIHOST)
static fp_stm32_semihost_flash flash;
static char command_line[256];
static fp_stm32_options options;

static fp_stm32_cycles_mode cycles_mode(void) { return options.cycles; }

static const fp_flash_port *board_setup(fp_identity *id) {
  if (fp_semihost_cmdline(command_line, sizeof command_line) != 0) command_line[0] = '\0';
  if (fp_stm32_options_parse(command_line, &options) != FP_OK) halt("bad command line options");
  id->device_id = options.device_id;
  if (id->device_id == NULL) {
    if (fp_host_device_id(CHIP, options.seed, device_id, sizeof device_id) != FP_OK) {
      halt("cannot derive the device id");
    }
    id->device_id = device_id;
  }
  if (options.firmware != NULL) id->firmware = options.firmware;
  id->telemetry_interval_ms = options.telemetry_ms;
  fp_err err = fp_stm32_semihost_flash_open(&flash, fp_layout_for_chip(CHIP), options.flash_file);
  if (err != FP_OK) halt(fp_err_name(err));
  if (options.power_cut_after >= 0) {
    fp_stm32_semihost_flash_cut_power_after(&flash, (uint64_t)options.power_cut_after);
  }
  return &flash.port;
}

static void announce(const fp_identity *id) {
  fp_semihost_print(id->device_id);
  fp_semihost_print(" " CHIP " ");
  fp_semihost_print(options.flash_file);
  fp_semihost_print("\n");
}
#else
/* A chip measures the cycles of each inference (SysTick at the core clock). */
static fp_stm32_cycles_mode cycles_mode(void) { return FP_STM32_CYCLES_SYSTICK; }

static const fp_flash_port *board_setup(fp_identity *id) {
  if (fp_stm32_uid_device_id(device_id, sizeof device_id) != FP_OK) halt("device id");
  id->device_id = device_id;
  return fp_stm32_flash_controller(fp_layout_for_chip(CHIP));
}

static void announce(const fp_identity *id) { (void)id; }
#endif

int main(void) {
  fp_stm32_clock_init();
  fp_stm32_usart_init();
  fp_identity id = {0, CHIP, FP_FIRMWARE_VERSION, 1000};
  const fp_flash_port *flash_port = board_setup(&id);
  fp_ports ports = {fp_stm32_usart_stream(), flash_port, fp_stm32_clock(), fp_stm32_sensors(),
                    fp_stm32_runner_cycles(fp_runner_int8(), cycles_mode()),
                    NULL /* no battery ADC or line error rate read yet */};
  fp_err err = fp_device_init(&dev, &id, &ports);
  if (err != FP_OK) halt(fp_err_name(err));
  announce(&id);
  static uint8_t received[256];
  for (;;) {
    size_t n = fp_stm32_usart_take(received, sizeof received);
    if (n > 0) {
      fp_device_receive(&dev, received, n);
    }
    fp_device_poll(&dev);
    if (n == 0) {
      __asm__ volatile("wfi");
    }
  }
}
