/* fp_crc32, fp_cobs, fp_frame: check values, the examples of docs/device-protocol.md §1 and §6,
 * and the receiver rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fp_cobs.h"
#include "fp_crc32.h"
#include "fp_frame.h"

static void crc_check_value(void **state) {
  (void)state;
  assert_int_equal(fp_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
  uint32_t split = fp_crc32(fp_crc32(0, (const uint8_t *)"1234", 4), (const uint8_t *)"56789", 5);
  assert_int_equal(split, 0xCBF43926u);
  assert_int_equal(fp_crc32(0, NULL, 0), 0);
}

static void cobs_examples(void **state) {
  (void)state;
  struct {
    uint8_t in[8];
    size_t in_len;
    uint8_t out[8];
    size_t out_len;
  } cases[] = {
      {{0}, 0, {0x01}, 1},
      {{0x00}, 1, {0x01, 0x01}, 2},
      {{0x11, 0x22, 0x00, 0x33}, 4, {0x03, 0x11, 0x22, 0x02, 0x33}, 5},
      {{0x11, 0x00, 0x00, 0x00}, 4, {0x02, 0x11, 0x01, 0x01, 0x01}, 5},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t out[16];
    size_t len = 0;
    assert_int_equal(fp_cobs_encode(cases[i].in, cases[i].in_len, out, sizeof out, &len), FP_OK);
    assert_int_equal(len, cases[i].out_len);
    assert_memory_equal(out, cases[i].out, len);
    uint8_t back[16];
    size_t back_len = 0;
    assert_int_equal(fp_cobs_decode(out, len, back, sizeof back, &back_len), FP_OK);
    assert_int_equal(back_len, cases[i].in_len);
    if (back_len) assert_memory_equal(back, cases[i].in, back_len);
  }
}

static void cobs_long_blocks_round_trip(void **state) {
  (void)state;
  static uint8_t data[1000], enc[1100], dec[1000];
  for (size_t n = 0; n <= sizeof data; n += 1) {
    for (size_t i = 0; i < n; i++) data[i] = (uint8_t)((i % 300 == 7) ? 0 : (i * 13 + 1) | 1);
    size_t len = 0, back = 0;
    assert_int_equal(fp_cobs_encode(data, n, enc, sizeof enc, &len), FP_OK);
    assert_true(len <= FP_COBS_MAX_ENCODED(n));
    assert_null(memchr(enc, 0, len));
    assert_int_equal(fp_cobs_decode(enc, len, dec, sizeof dec, &back), FP_OK);
    assert_int_equal(back, n);
    if (n) assert_memory_equal(dec, data, n);
  }
  /* a trailing 254-byte block, with and without the final 0x01 code */
  uint8_t block[255];
  block[0] = 0xFF;
  memset(block + 1, 0x42, 254);
  size_t back = 0;
  assert_int_equal(fp_cobs_decode(block, 255, dec, sizeof dec, &back), FP_OK);
  assert_int_equal(back, 254);
  static uint8_t with_code[256];
  memcpy(with_code, block, 255);
  with_code[255] = 0x01;
  assert_int_equal(fp_cobs_decode(with_code, 256, dec, sizeof dec, &back), FP_OK);
  assert_int_equal(back, 254);
}

static void cobs_invalid(void **state) {
  (void)state;
  uint8_t out[16];
  size_t len = 0;
  const uint8_t past_end[] = {0x05, 0x01, 0x02};
  assert_int_equal(fp_cobs_decode(past_end, sizeof past_end, out, sizeof out, &len),
                   FP_ERR_BAD_COBS);
  const uint8_t zero_inside[] = {0x03, 0x00, 0x02};
  assert_int_equal(fp_cobs_decode(zero_inside, sizeof zero_inside, out, sizeof out, &len),
                   FP_ERR_BAD_COBS);
}

/* §6: HELLO request, id 1, body {} */
static const uint8_t HELLO_LINE[] = {0x02, 0x01, 0x02, 0x01, 0x02, 0x02, 0x07,
                                     0x7b, 0x7d, 0x65, 0x69, 0xa2, 0x2a, 0x00};

static void frame_encode_matches_the_docs(void **state) {
  (void)state;
  fp_frame hello = {0x01, 0x00, 1, (const uint8_t *)"{}", 2};
  uint8_t out[64];
  size_t len = 0;
  assert_int_equal(fp_frame_encode(&hello, out, sizeof out, &len), FP_OK);
  assert_int_equal(len, sizeof HELLO_LINE);
  assert_memory_equal(out, HELLO_LINE, len);
  /* the CONFIG response of §6 */
  const char *body = "{\"appliedGeneration\":7}";
  fp_frame applied = {0x02, 0x01, 2, (const uint8_t *)body, (uint16_t)strlen(body)};
  const uint8_t expected[] = {0x04, 0x02, 0x01, 0x02, 0x02, 0x17, 0x1c, 0x7b, 0x22, 0x61, 0x70,
                              0x70, 0x6c, 0x69, 0x65, 0x64, 0x47, 0x65, 0x6e, 0x65, 0x72, 0x61,
                              0x74, 0x69, 0x6f, 0x6e, 0x22, 0x3a, 0x37, 0x7d, 0x41, 0xef, 0xb7,
                              0x62, 0x00};
  assert_int_equal(fp_frame_encode(&applied, out, sizeof out, &len), FP_OK);
  assert_int_equal(len, sizeof expected);
  assert_memory_equal(out, expected, len);
}

static fp_frame_rx RX;

static int feed(const uint8_t *bytes, size_t n, fp_frame *frame) {
  int frames = 0;
  for (size_t i = 0; i < n; i++) frames += fp_frame_rx_push(&RX, bytes[i], frame);
  return frames;
}

static void receiver_rules(void **state) {
  (void)state;
  fp_frame frame;
  fp_frame_rx_init(&RX);
  /* leading delimiters are resynchronisation, not frames */
  const uint8_t zeros[] = {0, 0, 0};
  assert_int_equal(feed(zeros, sizeof zeros, &frame), 0);
  assert_int_equal(feed(HELLO_LINE, sizeof HELLO_LINE, &frame), 1);
  assert_int_equal(frame.type, 1);
  assert_int_equal(frame.request_id, 1);
  assert_int_equal(frame.body_len, 2);
  assert_memory_equal(frame.body, "{}", 2);
  /* bad CRC */
  uint8_t bad[sizeof HELLO_LINE];
  memcpy(bad, HELLO_LINE, sizeof bad);
  bad[12] ^= 1;
  assert_int_equal(feed(bad, sizeof bad, &frame), 0);
  assert_int_equal(RX.dropped[FP_DROP_BAD_CRC], 1);
  /* too short */
  const uint8_t short_frame[] = {0x04, 0x01, 0x02, 0x03, 0x00};
  assert_int_equal(feed(short_frame, sizeof short_frame, &frame), 0);
  assert_int_equal(RX.dropped[FP_DROP_BAD_LENGTH], 1);
  /* bad COBS */
  const uint8_t bad_cobs[] = {0x09, 0x01, 0x00};
  assert_int_equal(feed(bad_cobs, sizeof bad_cobs, &frame), 0);
  assert_int_equal(RX.dropped[FP_DROP_BAD_COBS], 1);
  /* exactly FP_MAX_ENCODED_FRAME bytes are buffered; one more makes the frame too long */
  for (size_t i = 0; i < FP_MAX_ENCODED_FRAME + 1; i++) fp_frame_rx_push(&RX, 0x41, &frame);
  assert_false(fp_frame_rx_push(&RX, 0, &frame));
  assert_int_equal(RX.dropped[FP_DROP_TOO_LONG], 1);
  for (size_t i = 0; i < FP_MAX_ENCODED_FRAME; i++) fp_frame_rx_push(&RX, 0x41, &frame);
  assert_false(fp_frame_rx_push(&RX, 0, &frame));
  assert_int_equal(RX.dropped[FP_DROP_TOO_LONG], 1); /* 4123 bytes: a bad frame, not too long */
  /* and the reader goes on */
  assert_int_equal(feed(HELLO_LINE, sizeof HELLO_LINE, &frame), 1);
  assert_int_equal(fp_frame_rx_dropped_total(&RX), 5);
}

static void largest_frame_round_trips(void **state) {
  (void)state;
  static uint8_t body[FP_MAX_BODY];
  static uint8_t wire[FP_MAX_ENCODED_FRAME + 1];
  for (size_t i = 0; i < sizeof body; i++) body[i] = (uint8_t)(i % 7 == 0 ? 0 : i);
  fp_frame big = {0x20, 0, 65535, body, FP_MAX_BODY};
  size_t len = 0;
  assert_int_equal(fp_frame_encode(&big, wire, sizeof wire, &len), FP_OK);
  fp_frame_rx_init(&RX);
  fp_frame got;
  assert_int_equal(feed(wire, len, &got), 1);
  assert_int_equal(got.body_len, FP_MAX_BODY);
  assert_int_equal(got.request_id, 65535);
  assert_memory_equal(got.body, body, FP_MAX_BODY);
  fp_frame too_big = {0x20, 0, 1, body, FP_MAX_BODY + 1};
  assert_int_equal(fp_frame_encode(&too_big, wire, sizeof wire, &len), FP_ERR_ARG);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(crc_check_value),
      cmocka_unit_test(cobs_examples),
      cmocka_unit_test(cobs_long_blocks_round_trip),
      cmocka_unit_test(cobs_invalid),
      cmocka_unit_test(frame_encode_matches_the_docs),
      cmocka_unit_test(receiver_rules),
      cmocka_unit_test(largest_frame_round_trips),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
