/* fp_sha256, fp_record, fp_layout, fp_slots: digests, the record bytes the agent writes, the
 * layouts, the boot rules, and a power cut at every programmed byte of an update. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fp_host_flash.h"
#include "fp_layout.h"
#include "fp_record.h"
#include "fp_sha256.h"
#include "fp_slots.h"

static void hex(const uint8_t *bytes, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void sha256_vectors(void **state) {
  (void)state;
  uint8_t d[32];
  char h[65];
  fp_sha256 s;
  fp_sha256_init(&s);
  fp_sha256_final(&s, d);
  hex(d, 32, h);
  assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  fp_sha256_init(&s);
  fp_sha256_update(&s, (const uint8_t *)"abc", 3);
  fp_sha256_final(&s, d);
  hex(d, 32, h);
  assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  fp_sha256_init(&s);
  for (size_t i = 0; i < strlen(two); i++) fp_sha256_update(&s, (const uint8_t *)two + i, 1);
  fp_sha256_final(&s, d);
  hex(d, 32, h);
  assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* SlotRecord(0x01020304, PENDING_VERIFY, 52340, sha[i] = 7i+1, "vib", "2.0.0").encode() in Java */
static const uint8_t JAVA_RECORD[FP_RECORD_BYTES] = {
    0x46, 0x50, 0x53, 0x52, 0x04, 0x03, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x74, 0xcc, 0x00,
    0x00, 0x01, 0x08, 0x0f, 0x16, 0x1d, 0x24, 0x2b, 0x32, 0x39, 0x40, 0x47, 0x4e, 0x55, 0x5c,
    0x63, 0x6a, 0x71, 0x78, 0x7f, 0x86, 0x8d, 0x94, 0x9b, 0xa2, 0xa9, 0xb0, 0xb7, 0xbe, 0xc5,
    0xcc, 0xd3, 0xda, 0x76, 0x69, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x32, 0x2e, 0x30, 0x2e, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xdb, 0x65, 0x91, 0xc4};

static void record_bytes_equal_the_agents(void **state) {
  (void)state;
  fp_record rec;
  memset(&rec, 0, sizeof rec);
  rec.seq = 0x01020304u;
  rec.state = FP_STATE_PENDING_VERIFY;
  rec.length = 52340;
  for (int i = 0; i < 32; i++) rec.sha256[i] = (uint8_t)(i * 7 + 1);
  strcpy(rec.name, "vib");
  strcpy(rec.version, "2.0.0");
  uint8_t bytes[FP_RECORD_BYTES];
  assert_int_equal(fp_record_encode(&rec, bytes), FP_OK);
  assert_memory_equal(bytes, JAVA_RECORD, FP_RECORD_BYTES);
  fp_record back;
  assert_int_equal(fp_record_decode(JAVA_RECORD, &back), FP_OK);
  assert_int_equal(back.seq, rec.seq);
  assert_int_equal(back.state, rec.state);
  assert_int_equal(back.length, rec.length);
  assert_string_equal(back.name, "vib");
  assert_string_equal(back.version, "2.0.0");
  /* torn, erased, unknown state: absent */
  memcpy(bytes, JAVA_RECORD, FP_RECORD_BYTES);
  bytes[60] = 1;
  assert_int_equal(fp_record_decode(bytes, &back), FP_ERR_ABSENT);
  memset(bytes, 0xFF, FP_RECORD_BYTES);
  assert_int_equal(fp_record_decode(bytes, &back), FP_ERR_ABSENT);
  strcpy(rec.name, "0123456789012345678901234567890123");
  assert_int_equal(fp_record_encode(&rec, bytes), FP_ERR_ARG);
}

static void layouts(void **state) {
  (void)state;
  const char *chips[] = {"esp32", "esp32s3", "stm32f4", "stm32l4"};
  for (size_t i = 0; i < 4; i++) {
    const fp_layout *l = fp_layout_for_chip(chips[i]);
    assert_non_null(l);
    for (int s = 0; s < 2; s++) {
      assert_true(fp_layout_is_sector_start(l, l->record[s]));
      assert_true(fp_layout_is_sector_start(l, l->slot[s]));
      assert_true(fp_layout_is_sector_start(l, l->slot[s] + l->slot_size));
    }
  }
  const fp_layout *f4 = fp_layout_for_chip("stm32f4");
  uint32_t start = 0, size = 0;
  assert_int_equal(fp_layout_sector_at(f4, 0x8010, &start, &size), FP_OK);
  assert_int_equal(start, 0x8000);
  assert_int_equal(size, 16 * 1024);
  assert_int_equal(fp_layout_sector_at(f4, 0xA0000, &start, &size), FP_OK);
  assert_int_equal(start, 0xA0000);
  assert_int_equal(size, 128 * 1024);
  assert_int_equal(fp_layout_sector_at(f4, 0x100000, &start, &size), FP_ERR_ARG);
  assert_null(fp_layout_for_chip("esp8266"));
}

static fp_host_flash FLASH;
static fp_slots SLOTS;
static uint8_t MODEL_OLD[700], MODEL_NEW[900];

static void sha(const uint8_t *m, size_t n, uint8_t out[32]) {
  fp_sha256 s;
  fp_sha256_init(&s);
  fp_sha256_update(&s, m, n);
  fp_sha256_final(&s, out);
}

static fp_err install(int slot, const uint8_t *m, uint32_t n, const char *name) {
  uint8_t d[32];
  sha(m, n, d);
  fp_err err = fp_slots_begin_update(&SLOTS, slot);
  if (err == FP_OK) err = fp_slots_write(&SLOTS, slot, 0, m, n);
  if (err == FP_OK) err = fp_slots_commit(&SLOTS, slot, n, d, name, "1");
  if (err == FP_OK) err = fp_slots_boot(&SLOTS);
  if (err == FP_OK) err = fp_slots_confirm(&SLOTS);
  return err;
}

static int setup(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof MODEL_OLD; i++) MODEL_OLD[i] = (uint8_t)(i * 7 + 3);
  for (size_t i = 0; i < sizeof MODEL_NEW; i++) MODEL_NEW[i] = (uint8_t)(i * 11 + 5);
  assert_int_equal(fp_host_flash_open(&FLASH, fp_layout_for_chip("stm32f4"), NULL), FP_OK);
  fp_slots_init(&SLOTS, fp_layout_for_chip("stm32f4"), &FLASH.port);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fp_host_flash_close(&FLASH);
  return 0;
}

static void boot_rules(void **state) {
  (void)state;
  assert_int_equal(fp_slots_boot(&SLOTS), FP_OK);
  assert_int_equal(SLOTS.active, -1);
  assert_int_equal(install(FP_SLOT_A, MODEL_OLD, sizeof MODEL_OLD, "old"), FP_OK);
  assert_int_equal(SLOTS.active, FP_SLOT_A);
  fp_record rec;
  assert_int_equal(fp_slots_record(&SLOTS, FP_SLOT_A, &rec), FP_OK);
  assert_int_equal(rec.state, FP_STATE_VALID);
  assert_int_equal(rec.seq, 1);
  /* the running slot is never written */
  assert_int_equal(fp_slots_begin_update(&SLOTS, FP_SLOT_A), FP_ERR_SLOT_ACTIVE);
  /* NEW boots on trial; a reset on trial aborts it */
  uint8_t d[32];
  sha(MODEL_NEW, sizeof MODEL_NEW, d);
  assert_int_equal(fp_slots_begin_update(&SLOTS, FP_SLOT_B), FP_OK);
  assert_int_equal(fp_slots_write(&SLOTS, FP_SLOT_B, 0, MODEL_NEW, sizeof MODEL_NEW), FP_OK);
  d[0] ^= 1;
  assert_int_equal(fp_slots_commit(&SLOTS, FP_SLOT_B, sizeof MODEL_NEW, d, "new", "2"),
                   FP_ERR_DIGEST_MISMATCH);
  d[0] ^= 1;
  assert_int_equal(fp_slots_commit(&SLOTS, FP_SLOT_B, sizeof MODEL_NEW, d, "new", "2"), FP_OK);
  assert_int_equal(fp_slots_boot(&SLOTS), FP_OK);
  assert_int_equal(SLOTS.active, FP_SLOT_B);
  assert_int_equal(fp_slots_record(&SLOTS, FP_SLOT_B, &rec), FP_OK);
  assert_int_equal(rec.state, FP_STATE_PENDING_VERIFY);
  assert_int_equal(rec.seq, 2);
  assert_int_equal(fp_slots_boot(&SLOTS), FP_OK);
  assert_int_equal(SLOTS.active, FP_SLOT_A);
  assert_int_equal(fp_slots_record(&SLOTS, FP_SLOT_B, &rec), FP_OK);
  assert_int_equal(rec.state, FP_STATE_ABORTED);
  assert_int_equal(fp_slots_confirm(&SLOTS), FP_OK); /* A is VALID: nothing to do */
  /* REVERT needs a VALID other slot */
  assert_int_equal(fp_slots_revert(&SLOTS), FP_ERR_WRONG_STATE);
  assert_int_equal(install(FP_SLOT_B, MODEL_NEW, sizeof MODEL_NEW, "new"), FP_OK);
  assert_int_equal(SLOTS.active, FP_SLOT_B);
  assert_int_equal(fp_slots_revert(&SLOTS), FP_OK);
  assert_int_equal(SLOTS.active, FP_SLOT_A);
  assert_int_equal(fp_slots_record(&SLOTS, FP_SLOT_B, &rec), FP_OK);
  assert_int_equal(rec.state, FP_STATE_INVALID);
  assert_int_equal(fp_slots_next_seq(&SLOTS), 3); /* B's record was erased by the update */
  assert_int_equal(FLASH.set_bit_attempts, 0); /* never programmed over unerased bits */
}

/* Which model runs: 'O' old, 'N' new, '-' none. */
static char running(void) {
  fp_record rec;
  if (SLOTS.active < 0 || fp_slots_record(&SLOTS, SLOTS.active, &rec) != FP_OK) return '-';
  return strcmp(rec.name, "old") == 0 ? 'O' : 'N';
}

static void power_cut_at_every_byte_of_an_update(void **state) {
  (void)state;
  /* count the bytes a whole update programs: write, commit, boot on trial, confirm */
  assert_int_equal(install(FP_SLOT_A, MODEL_OLD, sizeof MODEL_OLD, "old"), FP_OK);
  uint64_t before = FLASH.bytes_programmed;
  assert_int_equal(install(FP_SLOT_B, MODEL_NEW, sizeof MODEL_NEW, "new"), FP_OK);
  uint64_t total = FLASH.bytes_programmed - before;
  assert_true(total > sizeof MODEL_NEW);
  int old_runs = 0, new_runs = 0;
  for (uint64_t cut = 0; cut <= total; cut++) {
    teardown(NULL);
    setup(NULL);
    assert_int_equal(install(FP_SLOT_A, MODEL_OLD, sizeof MODEL_OLD, "old"), FP_OK);
    fp_host_flash_cut_power_after(&FLASH, cut);
    fp_err err = install(FP_SLOT_B, MODEL_NEW, sizeof MODEL_NEW, "new");
    if (cut < total) assert_int_equal(err, FP_ERR_POWER_LOSS);
    /* the device reboots (a cut during the boot rules just means booting again) */
    for (int attempt = 0; attempt < 3 && fp_slots_boot(&SLOTS) == FP_ERR_POWER_LOSS; attempt++) {
    }
    char model = running();
    if (model == '-') fail_msg("no model runs after a power cut at byte %lu", (unsigned long)cut);
    if (model == 'O') old_runs++;
    if (model == 'N') new_runs++;
    /* and whatever runs is intact */
    fp_record rec;
    assert_int_equal(fp_slots_record(&SLOTS, SLOTS.active, &rec), FP_OK);
    uint8_t d[32];
    assert_int_equal(fp_slots_digest(&SLOTS, SLOTS.active, (uint32_t)rec.length, d), FP_OK);
    assert_memory_equal(d, rec.sha256, 32);
  }
  assert_true(old_runs > 0);
  assert_true(new_runs > 0);
  printf("power cut at each of %lu bytes: old model %d times, new model %d times\n",
         (unsigned long)total + 1, old_runs, new_runs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sha256_vectors),
      cmocka_unit_test(record_bytes_equal_the_agents),
      cmocka_unit_test(layouts),
      cmocka_unit_test_setup_teardown(boot_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(power_cut_at_every_byte_of_an_update, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
