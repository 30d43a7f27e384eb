/* fp_device and fp_slotcmd beyond the conformance cases: a power cut during SLOT_WRITE, the
 * model-runner port without a runner, telemetry timing and dropouts, the line taken over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fp_test_support.h"

static fp_test_device T;

static int setup(void **state) {
  (void)state;
  return fp_test_device_init(&T, "stm32f4") == FP_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  fp_test_device_close(&T);
  return 0;
}

static void slot_write(uint8_t flags, uint32_t offset, uint32_t len, uint16_t id) {
  static uint8_t body[FP_MAX_BODY];
  body[0] = 1;
  body[1] = flags;
  body[2] = body[3] = 0;
  for (int i = 0; i < 4; i++) body[4 + i] = (uint8_t)(offset >> (8 * i));
  for (uint32_t i = 0; i < len; i++) body[8 + i] = fp_test_gen(2, offset + i);
  fp_test_send(&T, FP_MSG_SLOT_WRITE, 0, id, body, 8 + len);
}

static void power_cut_during_a_write_reboots_without_an_answer(void **state) {
  (void)state;
  slot_write(1, 0, 1000, 1);
  const fp_test_frame *f = fp_test_next(&T);
  assert_non_null(f);
  assert_string_equal((const char *)f->body, "{\"slot\":\"B\",\"written\":1000}");
  fp_host_flash_cut_power_after(&T.flash, 10);
  slot_write(0, 1000, 1000, 2);
  assert_null(fp_test_next(&T));
  assert_int_equal(T.dev.counters.resets, 1);
  /* the update in progress is forgotten: the host must begin again */
  slot_write(0, 2000, 10, 3);
  f = fp_test_next(&T);
  assert_non_null(f);
  assert_int_equal(f->flags, 3);
  assert_string_equal((const char *)f->body,
                      "{\"code\":10,\"message\":\"no update of slot B began\"}");
}

static void no_runner_is_a_clear_error(void **state) {
  (void)state;
  slot_write(1, 0, 100, 1);
  assert_non_null(fp_test_next(&T));
  const fp_test_frame *f =
      fp_test_exchange(&T, FP_MSG_SELFTEST, 2, "{\"slot\":\"B\",\"length\":100,\"input\":[1]}");
  assert_non_null(f);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"the model in slot B: this firmware has no model "
                      "runner\"}");
  f = fp_test_exchange(&T, FP_MSG_ACTIVATE, 3,
                       "{\"slot\":\"B\",\"length\":100,\"sha256\":\"0000000000000000000000000000000"
                       "000000000000000000000000000000000\"}");
  assert_non_null(f);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"slot B: this firmware has no model runner\"}");
  f = fp_test_exchange(&T, FP_MSG_HELLO, 4, "{}");
  assert_non_null(f);
  assert_non_null(strstr((const char *)f->body, "\"operators\":[],\"arenaBytes\":0"));
}

/* ---- a runner that refuses every model, with a reason (or none) ---- */

static const char *REFUSAL;

static fp_err refusing_load(void *ctx, const fp_flash_port *flash, uint32_t offset,
                            uint32_t length) {
  (void)ctx;
  (void)flash;
  (void)offset;
  (void)length;
  return FP_ERR_MODEL_INVALID;
}

static const char *refusal(void *ctx) {
  (void)ctx;
  return REFUSAL;
}

static void runner_reason_reaches_the_message(void **state) {
  (void)state;
  fp_runner_port refusing = *T.dev.ports.runner;
  refusing.load = refusing_load;
  refusing.reason = refusal;
  T.dev.ports.runner = &refusing;
  slot_write(1, 0, 100, 1);
  assert_non_null(fp_test_next(&T));
  const char *selftest = "{\"slot\":\"B\",\"length\":100,\"input\":[1]}";
  const char *activate = "{\"slot\":\"B\",\"length\":100,\"sha256\":\"00000000000000000000000000000"
                         "00000000000000000000000000000000000\"}";
  /* the emulator's wording: "the model in slot B: <why>" (SELFTEST), "slot B: <why>" (ACTIVATE) */
  REFUSAL = "operator #0 is builtin code 2, which this runner does not run";
  const fp_test_frame *f = fp_test_exchange(&T, FP_MSG_SELFTEST, 2, selftest);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"the model in slot B: operator #0 is builtin code "
                      "2, which this runner does not run\"}");
  f = fp_test_exchange(&T, FP_MSG_ACTIVATE, 3, activate);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"slot B: operator #0 is builtin code 2, which "
                      "this runner does not run\"}");
  /* a long reason is cut to FP_REASON_MAX characters */
  static char longer[300];
  memset(longer, 'x', sizeof longer - 1);
  REFUSAL = longer;
  f = fp_test_exchange(&T, FP_MSG_SELFTEST, 4, selftest);
  char want[300];
  snprintf(want, sizeof want, "{\"code\":9,\"message\":\"the model in slot B: %.*s\"}",
           (int)FP_REASON_MAX, longer);
  assert_string_equal((const char *)f->body, want);
  /* no reason (NULL, "", or no reason function): the error's name */
  REFUSAL = "";
  f = fp_test_exchange(&T, FP_MSG_ACTIVATE, 5, activate);
  assert_string_equal((const char *)f->body, "{\"code\":9,\"message\":\"slot B: MODEL_INVALID\"}");
  REFUSAL = NULL;
  f = fp_test_exchange(&T, FP_MSG_SELFTEST, 6, selftest);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"the model in slot B: MODEL_INVALID\"}");
  refusing.reason = NULL;
  f = fp_test_exchange(&T, FP_MSG_SELFTEST, 7, selftest);
  assert_string_equal((const char *)f->body,
                      "{\"code\":9,\"message\":\"the model in slot B: MODEL_INVALID\"}");
}

static void telemetry_every_period_with_dropouts(void **state) {
  (void)state;
  const fp_test_frame *f = fp_test_exchange(
      &T, FP_MSG_CONFIG, 1,
      "{\"generation\":3,\"config\":{\"inputs\":[{\"name\":\"t\",\"normalize\":{\"kind\":"
      "\"zscore\",\"a\":21.5,\"b\":2}},{\"name\":\"v\",\"min\":0,\"max\":10}]}}");
  assert_non_null(f);
  T.clock.now += 999;
  fp_device_poll(&T.dev);
  assert_null(fp_test_next(&T));
  T.clock.now += 1;
  fp_device_poll(&T.dev);
  f = fp_test_next(&T);
  assert_non_null(f);
  assert_int_equal(f->type, FP_MSG_TELEMETRY);
  assert_int_equal(f->request_id, 0);
  assert_string_equal((const char *)f->body,
                      "{\"seq\":1,\"uptimeMs\":1000,\"readings\":{\"t\":21.5,\"v\":5.0}}");
  T.sensors.dropout_mask = 2;
  T.clock.now += 1000;
  fp_device_poll(&T.dev);
  f = fp_test_next(&T);
  assert_non_null(f);
  assert_string_equal((const char *)f->body,
                      "{\"seq\":2,\"uptimeMs\":2000,\"readings\":{\"t\":21.5,\"v\":null}}");
  assert_int_equal(T.dev.counters.readings, 3);
  assert_int_equal(T.dev.counters.sensor_dropouts, 1);
  /* a long stall sends one frame, not a burst */
  T.clock.now += 10000;
  fp_device_poll(&T.dev);
  fp_device_poll(&T.dev);
  assert_non_null(fp_test_next(&T));
  assert_null(fp_test_next(&T));
  /* the configuration survives a reset; the uptime restarts */
  assert_int_equal(fp_device_reboot(&T.dev), FP_OK);
  f = fp_test_exchange(&T, FP_MSG_STATS, 2, "{}");
  assert_non_null(f);
  assert_non_null(strstr((const char *)f->body, "{\"uptimeMs\":0,\"configGeneration\":3,"));
}

static void a_new_connection_drops_half_a_frame(void **state) {
  (void)state;
  const uint8_t half[] = {0x02, 0x01, 0x02, 0x01};
  fp_device_receive(&T.dev, half, sizeof half);
  fp_device_line_reset(&T.dev);
  const fp_test_frame *f = fp_test_exchange(&T, FP_MSG_HELLO, 7, "{}");
  assert_non_null(f);
  assert_int_equal(f->request_id, 7);
  assert_int_equal(fp_frame_rx_dropped_total(&T.dev.rx), 0);
}

static void fake_vitals(void *ctx, fp_vitals *out) { *out = *(const fp_vitals *)ctx; }

static void battery_and_link_are_reported_as_the_board_gives_them(void **state) {
  (void)state;
  const fp_test_frame *f = fp_test_exchange(&T, FP_MSG_STATS, 3, "{}");
  assert_non_null(f);
  /* a board without a vitals port reports none of them, as older firmware */
  assert_null(strstr((const char *)f->body, "battery."));
  assert_null(strstr((const char *)f->body, "link."));
  fp_vitals board = {.has_battery = true, .battery_percent = 64, .battery_mv = 3876,
                     .has_rssi = true, .rssi_dbm = -71};
  fp_vitals_port port = {&board, fake_vitals};
  T.dev.ports.vitals = &port;
  f = fp_test_exchange(&T, FP_MSG_STATS, 4, "{}");
  assert_non_null(f);
  assert_non_null(strstr((const char *)f->body, "\"battery.mv\":3876,\"battery.percent\":64,"));
  assert_non_null(strstr((const char *)f->body, "\"link.rssiDbm\":-71,"));
  assert_null(strstr((const char *)f->body, "link.errorPermille"));
  /* a UART board: a frame error rate, a level without a voltage */
  board = (fp_vitals){.has_battery = true, .battery_percent = 12, .has_link_errors = true,
                      .link_error_permille = 125};
  f = fp_test_exchange(&T, FP_MSG_STATS, 5, "{}");
  assert_non_null(f);
  assert_non_null(strstr((const char *)f->body, "\"battery.percent\":12,\"configsApplied\":"));
  assert_non_null(strstr((const char *)f->body, "\"link.errorPermille\":125,\"requests\":"));
  assert_null(strstr((const char *)f->body, "battery.mv"));
  assert_null(strstr((const char *)f->body, "rssiDbm"));
  T.dev.ports.vitals = NULL;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(power_cut_during_a_write_reboots_without_an_answer, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(no_runner_is_a_clear_error, setup, teardown),
      cmocka_unit_test_setup_teardown(runner_reason_reaches_the_message, setup, teardown),
      cmocka_unit_test_setup_teardown(telemetry_every_period_with_dropouts, setup, teardown),
      cmocka_unit_test_setup_teardown(a_new_connection_drops_half_a_frame, setup, teardown),
      cmocka_unit_test_setup_teardown(battery_and_link_are_reported_as_the_board_gives_them, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
