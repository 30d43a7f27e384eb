/*
 * JSON for message bodies, without a heap: a validating tokenizer that records where each value
 * lies in the body (like jsmn), readers over those tokens, and a writer into a fixed buffer.
 *
 * The tokenizer accepts exactly RFC 8259 (no comments, no NaN, no leading zeros, no raw control
 * characters in strings, valid UTF-8) and rejects trailing bytes after the value, as the Java
 * host's Jackson mapper does. Limits: FP_JSON_MAX_TOKENS values, FP_JSON_MAX_DEPTH nesting.
 */
#ifndef FP_JSON_H
#define FP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_config.h"
#include "fp_err.h"

typedef enum {
  FP_JSON_NULL = 0,
  FP_JSON_FALSE,
  FP_JSON_TRUE,
  FP_JSON_NUMBER,
  FP_JSON_STRING,
  FP_JSON_ARRAY,
  FP_JSON_OBJECT
} fp_json_type;

typedef struct {
  uint8_t type;   /* fp_json_type */
  uint16_t size;  /* members of an object (pairs), items of an array */
  uint16_t next;  /* index of the token after this value and all it contains */
  uint16_t start; /* strings: first byte after the quote; others: first byte */
  uint16_t end;   /* strings: the closing quote; others: one past the last byte */
} fp_json_tok;

typedef struct {
  const char *text;
  size_t len;
  uint16_t count;
  fp_json_tok tok[FP_JSON_MAX_TOKENS];
} fp_json_doc;

/* Tokenizes text; token 0 is the top-level value. FP_ERR_MALFORMED_BODY when the text is not
 * exactly one JSON value (surrounding whitespace allowed), FP_ERR_NO_SPACE when it holds more
 * tokens than FP_JSON_MAX_TOKENS or nests deeper than FP_JSON_MAX_DEPTH. */
fp_err fp_json_parse(fp_json_doc *doc, const char *text, size_t len);

/* The value of member key of object token obj, or -1 (absent, or obj is not an object). */
int fp_json_get(const fp_json_doc *doc, int obj, const char *key);

/* Like fp_json_get, but a JSON null counts as absent (device-protocol.md §4). */
int fp_json_get_present(const fp_json_doc *doc, int obj, const char *key);

fp_json_type fp_json_type_of(const fp_json_doc *doc, int tok);

/* The first item of an array (or member value of an object: use fp_json_member_*), -1 if none;
 * the next item after item is doc->tok[item].next. */
int fp_json_first(const fp_json_doc *doc, int container);

/* A number token that is written as an integer (no fraction, no exponent) within int64. */
fp_err fp_json_int(const fp_json_doc *doc, int tok, int64_t *out);

/* Any number token as a double. */
fp_err fp_json_double(const fp_json_doc *doc, int tok, double *out);

/* A string token unescaped into out (cap bytes, NUL-terminated); *len without the NUL. */
fp_err fp_json_str(const fp_json_doc *doc, int tok, char *out, size_t cap, size_t *len);

/* Whether a string token equals s (after unescaping). */
bool fp_json_str_eq(const fp_json_doc *doc, int tok, const char *s);

/* Length of an unescaped string in UTF-16 code units, as Java's String.length() counts. */
size_t fp_json_utf16_len(const char *utf8, size_t len);

/* The writer: compact JSON into buf; once the buffer is full it stays failed. */
typedef struct {
  char *buf;
  size_t cap;
  size_t len;
  bool overflow;
  bool after_key;
  uint8_t depth;
  uint32_t need_comma; /* bit per depth */
} fp_jw;

void fp_jw_init(fp_jw *w, char *buf, size_t cap);
void fp_jw_obj_begin(fp_jw *w);
void fp_jw_obj_end(fp_jw *w);
void fp_jw_arr_begin(fp_jw *w);
void fp_jw_arr_end(fp_jw *w);
void fp_jw_key(fp_jw *w, const char *key);
void fp_jw_str(fp_jw *w, const char *s);
void fp_jw_strn(fp_jw *w, const char *s, size_t n);
void fp_jw_int(fp_jw *w, int64_t v);
/* v in decimal into out (room for FP_INT_CHARS: "-9223372036854775808"), not terminated; returns
 * the length. The writer's own, so that no printf with %lld is needed (newlib-nano has none). */
#define FP_INT_CHARS 20u
size_t fp_format_int(char *out, int64_t v);
void fp_jw_null(fp_jw *w);
void fp_jw_bool(fp_jw *w, bool v);
/* A double as Java's Double.toString writes it (21.37, 100.0, 1.0E-5, 1.0E7). */
void fp_jw_double(fp_jw *w, double v);
/* A float32 as Java's Float.toString writes it (the shortest digits that read back as it); null
 * when not finite. */
void fp_jw_float(fp_jw *w, float v);
/* Bytes as a string of lower-case hex digits. */
void fp_jw_hex(fp_jw *w, const uint8_t *bytes, size_t n);
/* FP_OK with the length written, or FP_ERR_NO_SPACE. */
fp_err fp_jw_finish(const fp_jw *w, size_t *len);

#endif
