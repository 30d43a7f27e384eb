/* fp_json: the tokenizer's acceptance, readers, and the writer's output (Jackson's forms). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fp_json.h"

static fp_json_doc DOC;

static fp_err parse(const char *text) { return fp_json_parse(&DOC, text, strlen(text)); }

static void accepts_and_rejects(void **state) {
  (void)state;
  const char *good[] = {"{}", " [ ] ", "0", "-0.5e+3", "\"a\\u00e9\\n\"", "null",
                        "{\"a\":[1,{\"b\":true}],\"c\":false}", "\"\xc3\xa9\xe2\x82\xac\""};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    assert_int_equal(parse(good[i]), FP_OK);
  }
  const char *bad[] = {"",      "   ",    "{",        "{\"a\"}",    "[1,]",   "01",
                       "1.",    ".5",     "NaN",      "{} x",       "\"\x01\"", "\"\\x\"",
                       "\"\xff\"", "\"\xc3\"", "tru",  "{\"a\":1,}", "[1 2]",  "\"\xed\xa0\x80\""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_not_equal(parse(bad[i]), FP_OK);
  }
  char deep[64];
  memset(deep, '[', 40);
  deep[40] = 0;
  assert_int_equal(parse(deep), FP_ERR_NO_SPACE);
}

static void readers(void **state) {
  (void)state;
  assert_int_equal(
      parse("{\"generation\":7,\"x\":null,\"big\":9223372036854775808,\"f\":1.5,"
            "\"s\":\"t\\u00e9\\ud83d\\ude00\",\"arr\":[1,2,3],\"generation\":8}"),
      FP_OK);
  int64_t v = 0;
  assert_int_equal(fp_json_int(&DOC, fp_json_get(&DOC, 0, "generation"), &v), FP_OK);
  assert_int_equal(v, 8); /* the last duplicate wins */
  assert_true(fp_json_get(&DOC, 0, "x") >= 0);
  assert_int_equal(fp_json_get_present(&DOC, 0, "x"), -1);
  assert_int_equal(fp_json_get(&DOC, 0, "missing"), -1);
  assert_int_equal(fp_json_int(&DOC, fp_json_get(&DOC, 0, "big"), &v), FP_ERR_OUT_OF_RANGE);
  assert_int_equal(fp_json_int(&DOC, fp_json_get(&DOC, 0, "f"), &v), FP_ERR_ARG);
  double d = 0;
  assert_int_equal(fp_json_double(&DOC, fp_json_get(&DOC, 0, "f"), &d), FP_OK);
  assert_true(d == 1.5);
  char s[16];
  size_t len = 0;
  assert_int_equal(fp_json_str(&DOC, fp_json_get(&DOC, 0, "s"), s, sizeof s, &len), FP_OK);
  assert_string_equal(s, "t\xc3\xa9\xf0\x9f\x98\x80");
  assert_int_equal(fp_json_utf16_len(s, len), 4); /* t, é, and a surrogate pair */
  assert_true(fp_json_str_eq(&DOC, fp_json_get(&DOC, 0, "s"), "t\xc3\xa9\xf0\x9f\x98\x80"));
  int arr = fp_json_get(&DOC, 0, "arr");
  int sum = 0;
  for (int item = fp_json_first(&DOC, arr); item >= 0 && sum < 100; item = DOC.tok[item].next) {
    assert_int_equal(fp_json_int(&DOC, item, &v), FP_OK);
    sum += (int)v;
    if (v == 3) break;
  }
  assert_int_equal(sum, 6);
  assert_int_equal(fp_json_str(&DOC, fp_json_get(&DOC, 0, "s"), s, 4, &len), FP_ERR_NO_SPACE);
}

static void writer(void **state) {
  (void)state;
  char buf[256];
  fp_jw w;
  fp_jw_init(&w, buf, sizeof buf);
  fp_jw_obj_begin(&w);
  fp_jw_key(&w, "a");
  fp_jw_arr_begin(&w);
  fp_jw_int(&w, -5);
  fp_jw_null(&w);
  fp_jw_str(&w, "q\"\\\n\x01\xc3\xa9");
  fp_jw_arr_end(&w);
  fp_jw_key(&w, "h");
  const uint8_t bytes[] = {0x00, 0xab};
  fp_jw_hex(&w, bytes, 2);
  fp_jw_key(&w, "e");
  fp_jw_obj_begin(&w);
  fp_jw_obj_end(&w);
  fp_jw_obj_end(&w);
  size_t len = 0;
  assert_int_equal(fp_jw_finish(&w, &len), FP_OK);
  buf[len] = 0;
  assert_string_equal(buf, "{\"a\":[-5,null,\"q\\\"\\\\\\n\\u0001\xc3\xa9\"],\"h\":\"00ab\",\"e\":{}}");
  fp_jw_init(&w, buf, 4);
  fp_jw_str(&w, "too long");
  assert_int_equal(fp_jw_finish(&w, &len), FP_ERR_NO_SPACE);
}

/* The writer's own integer formatting (no %lld: newlib-nano has none), against printf's. */
static void integers_without_printf(void **state) {
  (void)state;
  const int64_t cases[] = {0,          1,          -1,         9,          10,        -10,
                           99,         100,        4294967295, 4294967296, -4294967296,
                           INT32_MIN,  INT32_MAX,  1234567890123456789,    INT64_MAX, INT64_MIN,
                           INT64_MIN + 1};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)cases[i]);
    char got[FP_INT_CHARS + 1];
    size_t n = fp_format_int(got, cases[i]);
    assert_true(n <= FP_INT_CHARS);
    got[n] = '\0';
    assert_string_equal(got, want);
    char buf[32];
    fp_jw w;
    fp_jw_init(&w, buf, sizeof buf);
    fp_jw_int(&w, cases[i]);
    size_t len = 0;
    assert_int_equal(fp_jw_finish(&w, &len), FP_OK);
    buf[len] = 0;
    assert_string_equal(buf, want);
  }
}

static void doubles_as_java_writes_them(void **state) {
  (void)state;
  struct {
    double v;
    const char *text;
  } cases[] = {{21.37, "21.37"}, {100.0, "100.0"}, {1e-5, "1.0E-5"}, {1e7, "1.0E7"},
               {0.001, "0.001"}, {-0.5, "-0.5"},   {0.0, "0.0"},    {123456.7, "123456.7"},
               {1.5e-4, "1.5E-4"}, {9999999.0, "9999999.0"}, {12345678.9, "1.23456789E7"},
               {2.2250738585072014e-308, "2.2250738585072014E-308"},
               {1.7976931348623157e308, "1.7976931348623157E308"},
               {-1.5e-10, "-1.5E-10"}, {1e22, "1.0E22"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char buf[64];
    fp_jw w;
    fp_jw_init(&w, buf, sizeof buf);
    fp_jw_double(&w, cases[i].v);
    size_t len = 0;
    assert_int_equal(fp_jw_finish(&w, &len), FP_OK);
    buf[len] = 0;
    assert_string_equal(buf, cases[i].text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(accepts_and_rejects),
      cmocka_unit_test(readers),
      cmocka_unit_test(writer),
      cmocka_unit_test(integers_without_printf),
      cmocka_unit_test(doubles_as_java_writes_them),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
