#include "fp_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokenizer ---- */

typedef struct {
  fp_json_doc *doc;
  size_t pos;
  unsigned depth;
  fp_err err;
} parser;

static void skip_ws(parser *p) {
  while (p->pos < p->doc->len) {
    char c = p->doc->text[p->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return;
    }
    p->pos++;
  }
}

static int new_tok(parser *p, fp_json_type type, size_t start) {
  if (p->doc->count >= FP_JSON_MAX_TOKENS) {
    p->err = FP_ERR_NO_SPACE;
    return -1;
  }
  int i = p->doc->count++;
  p->doc->tok[i].type = (uint8_t)type;
  p->doc->tok[i].size = 0;
  p->doc->tok[i].next = 0;
  p->doc->tok[i].start = (uint16_t)start;
  p->doc->tok[i].end = (uint16_t)start;
  return i;
}

static bool fail(parser *p) {
  if (p->err == FP_OK) {
    p->err = FP_ERR_MALFORMED_BODY;
  }
  return false;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t need;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { need = 2; cp = c & 0x1Fu; }
  else if (c >= 0xE0 && c <= 0xEF) { need = 3; cp = c & 0x0Fu; }
  else if (c >= 0xF0 && c <= 0xF4) { need = 4; cp = c & 0x07u; }
  else return 0;
  if (n < need) return 0;
  for (size_t i = 1; i < need; i++) {
    if ((s[i] & 0xC0u) != 0x80u) return 0;
    cp = cp << 6 | (s[i] & 0x3Fu);
  }
  if ((need == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return 0;
  }
  return need;
}

static bool parse_value(parser *p);

static bool parse_string(parser *p) {
  const char *t = p->doc->text;
  int i = new_tok(p, FP_JSON_STRING, p->pos + 1);
  if (i < 0) return false;
  p->pos++; /* opening quote */
  while (p->pos < p->doc->len) {
    unsigned char c = (unsigned char)t[p->pos];
    if (c == '"') {
      p->doc->tok[i].end = (uint16_t)p->pos;
      p->pos++;
      p->doc->tok[i].next = p->doc->count;
      return true;
    }
    if (c < 0x20) return fail(p);
    if (c == '\\') {
      if (p->pos + 1 >= p->doc->len) return fail(p);
      char e = t[p->pos + 1];
      if (e == 'u') {
        if (p->pos + 6 > p->doc->len) return fail(p);
        for (int k = 2; k < 6; k++) {
          if (hex_value(t[p->pos + (size_t)k]) < 0) return fail(p);
        }
        p->pos += 6;
      } else if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
        p->pos += 2;
      } else {
        return fail(p);
      }
      continue;
    }
    size_t n = utf8_seq((const unsigned char *)t + p->pos, p->doc->len - p->pos);
    if (n == 0) return fail(p);
    p->pos += n;
  }
  return fail(p);
}

static bool digits(parser *p) {
  size_t from = p->pos;
  while (p->pos < p->doc->len && p->doc->text[p->pos] >= '0' && p->doc->text[p->pos] <= '9') {
    p->pos++;
  }
  return p->pos > from;
}

static bool parse_number(parser *p) {
  const char *t = p->doc->text;
  int i = new_tok(p, FP_JSON_NUMBER, p->pos);
  if (i < 0) return false;
  if (t[p->pos] == '-') p->pos++;
  if (p->pos >= p->doc->len) return fail(p);
  if (t[p->pos] == '0') {
    p->pos++;
  } else if (!digits(p)) {
    return fail(p);
  }
  if (p->pos < p->doc->len && t[p->pos] == '.') {
    p->pos++;
    if (!digits(p)) return fail(p);
  }
  if (p->pos < p->doc->len && (t[p->pos] == 'e' || t[p->pos] == 'E')) {
    p->pos++;
    if (p->pos < p->doc->len && (t[p->pos] == '+' || t[p->pos] == '-')) p->pos++;
    if (!digits(p)) return fail(p);
  }
  p->doc->tok[i].end = (uint16_t)p->pos;
  p->doc->tok[i].next = p->doc->count;
  return true;
}

static bool parse_literal(parser *p, const char *word, fp_json_type type) {
  size_t n = strlen(word);
  if (p->doc->len - p->pos < n || memcmp(p->doc->text + p->pos, word, n) != 0) return fail(p);
  int i = new_tok(p, type, p->pos);
  if (i < 0) return false;
  p->pos += n;
  p->doc->tok[i].end = (uint16_t)p->pos;
  p->doc->tok[i].next = p->doc->count;
  return true;
}

static bool parse_container(parser *p, bool object) {
  if (++p->depth > FP_JSON_MAX_DEPTH) {
    p->err = FP_ERR_NO_SPACE;
    return false;
  }
  int i = new_tok(p, object ? FP_JSON_OBJECT : FP_JSON_ARRAY, p->pos);
  if (i < 0) return false;
  char close = object ? '}' : ']';
  p->pos++;
  skip_ws(p);
  if (p->pos < p->doc->len && p->doc->text[p->pos] == close) {
    p->pos++;
  } else {
    for (;;) {
      if (object) {
        skip_ws(p);
        if (p->pos >= p->doc->len || p->doc->text[p->pos] != '"') return fail(p);
        if (!parse_string(p)) return false;
        skip_ws(p);
        if (p->pos >= p->doc->len || p->doc->text[p->pos] != ':') return fail(p);
        p->pos++;
      }
      if (!parse_value(p)) return false;
      if (p->doc->tok[i].size == UINT16_MAX) return fail(p);
      p->doc->tok[i].size++;
      skip_ws(p);
      if (p->pos >= p->doc->len) return fail(p);
      char c = p->doc->text[p->pos++];
      if (c == close) break;
      if (c != ',') return fail(p);
    }
  }
  p->doc->tok[i].end = (uint16_t)p->pos;
  p->doc->tok[i].next = p->doc->count;
  p->depth--;
  return true;
}

static bool parse_value(parser *p) {
  skip_ws(p);
  if (p->pos >= p->doc->len) return fail(p);
  char c = p->doc->text[p->pos];
  switch (c) {
    case '{': return parse_container(p, true);
    case '[': return parse_container(p, false);
    case '"': return parse_string(p);
    case 't': return parse_literal(p, "true", FP_JSON_TRUE);
    case 'f': return parse_literal(p, "false", FP_JSON_FALSE);
    case 'n': return parse_literal(p, "null", FP_JSON_NULL);
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p);
      return fail(p);
  }
}

fp_err fp_json_parse(fp_json_doc *doc, const char *text, size_t len) {
  doc->text = text;
  doc->len = len;
  doc->count = 0;
  if (len > UINT16_MAX) {
    return FP_ERR_NO_SPACE;
  }
  parser p = {doc, 0, 0, FP_OK};
  if (!parse_value(&p)) {
    return p.err == FP_OK ? FP_ERR_MALFORMED_BODY : p.err;
  }
  skip_ws(&p);
  if (p.pos != len) {
    return FP_ERR_MALFORMED_BODY;
  }
  return FP_OK;
}

/* ---- readers ---- */

fp_json_type fp_json_type_of(const fp_json_doc *doc, int tok) {
  return (fp_json_type)doc->tok[tok].type;
}

int fp_json_first(const fp_json_doc *doc, int container) {
  if (container < 0 || doc->tok[container].size == 0) return -1;
  return container + 1;
}

/* Decodes the escape or UTF-8 sequence at text[*pos] of a string into one code point. */
static uint32_t next_code_point(const char *t, size_t *pos) {
  unsigned char c = (unsigned char)t[*pos];
  if (c == '\\') {
    char e = t[*pos + 1];
    *pos += 2;
    switch (e) {
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': {
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) v = v << 4 | (uint32_t)hex_value(t[*pos + (size_t)k]);
        *pos += 4;
        if (v >= 0xD800 && v <= 0xDBFF && t[*pos] == '\\' && t[*pos + 1] == 'u') {
          uint32_t lo = 0;
          bool ok = true;
          for (int k = 0; k < 4; k++) {
            int h = hex_value(t[*pos + 2 + (size_t)k]);
            if (h < 0) ok = false;
            lo = lo << 4 | (uint32_t)(h < 0 ? 0 : h);
          }
          if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
            *pos += 6;
            return 0x10000u + ((v - 0xD800u) << 10) + (lo - 0xDC00u);
          }
        }
        return v; /* a lone surrogate stays as it is, as Java keeps it */
      }
      default: return (uint32_t)(unsigned char)e;
    }
  }
  size_t n = utf8_seq((const unsigned char *)t + *pos, 4);
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t i = 1; i < n; i++) cp = cp << 6 | ((unsigned char)t[*pos + i] & 0x3Fu);
  *pos += n;
  return cp;
}

static size_t put_utf8(uint32_t cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | cp >> 6);
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | cp >> 18);
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

fp_err fp_json_str(const fp_json_doc *doc, int tok, char *out, size_t cap, size_t *len) {
  if (tok < 0 || doc->tok[tok].type != FP_JSON_STRING) return FP_ERR_ARG;
  size_t pos = doc->tok[tok].start;
  size_t w = 0;
  while (pos < doc->tok[tok].end) {
    char utf8[4];
    size_t n = put_utf8(next_code_point(doc->text, &pos), utf8);
    if (w + n + 1 > cap) return FP_ERR_NO_SPACE;
    memcpy(out + w, utf8, n);
    w += n;
  }
  if (cap == 0) return FP_ERR_NO_SPACE;
  out[w] = '\0';
  *len = w;
  return FP_OK;
}

bool fp_json_str_eq(const fp_json_doc *doc, int tok, const char *s) {
  if (tok < 0 || doc->tok[tok].type != FP_JSON_STRING) return false;
  size_t pos = doc->tok[tok].start;
  size_t k = 0;
  size_t n = strlen(s);
  while (pos < doc->tok[tok].end) {
    char utf8[4];
    size_t m = put_utf8(next_code_point(doc->text, &pos), utf8);
    if (k + m > n || memcmp(s + k, utf8, m) != 0) return false;
    k += m;
  }
  return k == n;
}

int fp_json_get(const fp_json_doc *doc, int obj, const char *key) {
  if (obj < 0 || doc->tok[obj].type != FP_JSON_OBJECT) return -1;
  int k = obj + 1;
  int found = -1;
  for (unsigned i = 0; i < doc->tok[obj].size; i++) {
    int value = k + 1;
    if (fp_json_str_eq(doc, k, key)) {
      found = value; /* the last of duplicate keys wins, as in Jackson's tree */
    }
    k = doc->tok[value].next;
  }
  return found;
}

int fp_json_get_present(const fp_json_doc *doc, int obj, const char *key) {
  int v = fp_json_get(doc, obj, key);
  if (v >= 0 && doc->tok[v].type == FP_JSON_NULL) return -1;
  return v;
}

fp_err fp_json_int(const fp_json_doc *doc, int tok, int64_t *out) {
  if (tok < 0 || doc->tok[tok].type != FP_JSON_NUMBER) return FP_ERR_ARG;
  const char *t = doc->text;
  size_t pos = doc->tok[tok].start;
  size_t end = doc->tok[tok].end;
  bool negative = t[pos] == '-';
  if (negative) pos++;
  uint64_t v = 0;
  for (; pos < end; pos++) {
    char c = t[pos];
    if (c < '0' || c > '9') return FP_ERR_ARG; /* a fraction or an exponent */
    unsigned d = (unsigned)(c - '0');
    if (v > (UINT64_MAX - d) / 10u) return FP_ERR_OUT_OF_RANGE;
    v = v * 10u + d;
  }
  if (negative) {
    if (v > (uint64_t)INT64_MAX + 1u) return FP_ERR_OUT_OF_RANGE;
    *out = v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
  } else {
    if (v > (uint64_t)INT64_MAX) return FP_ERR_OUT_OF_RANGE;
    *out = (int64_t)v;
  }
  return FP_OK;
}

fp_err fp_json_double(const fp_json_doc *doc, int tok, double *out) {
  if (tok < 0 || doc->tok[tok].type != FP_JSON_NUMBER) return FP_ERR_ARG;
  char buf[64];
  size_t n = doc->tok[tok].end - doc->tok[tok].start;
  if (n >= sizeof buf) {
    /* very long numbers: keep the leading part that decides the value to double precision */
    return FP_ERR_OUT_OF_RANGE;
  }
  memcpy(buf, doc->text + doc->tok[tok].start, n);
  buf[n] = '\0';
  *out = strtod(buf, NULL);
  return FP_OK;
}

size_t fp_json_utf16_len(const char *utf8, size_t len) {
  size_t units = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)utf8[i];
    if ((c & 0xC0u) == 0x80u) continue; /* continuation byte */
    units += c >= 0xF0u ? 2u : 1u;
  }
  return units;
}

/* ---- writer ---- */

void fp_jw_init(fp_jw *w, char *buf, size_t cap) {
  w->buf = buf;
  w->cap = cap;
  w->len = 0;
  w->overflow = false;
  w->after_key = false;
  w->depth = 0;
  w->need_comma = 0;
}

static void put(fp_jw *w, const char *s, size_t n) {
  if (w->overflow || w->len + n > w->cap) {
    w->overflow = true;
    return;
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}

static void putc1(fp_jw *w, char c) { put(w, &c, 1); }

static void before_value(fp_jw *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  uint32_t bit = 1u << w->depth;
  if (w->need_comma & bit) putc1(w, ',');
  w->need_comma |= bit;
}

static void open(fp_jw *w, char c) {
  before_value(w);
  putc1(w, c);
  if (w->depth < 31u) w->depth++;
  w->need_comma &= ~(1u << w->depth);
}

static void close_(fp_jw *w, char c) {
  putc1(w, c);
  if (w->depth > 0) w->depth--;
}

void fp_jw_obj_begin(fp_jw *w) { open(w, '{'); }
void fp_jw_obj_end(fp_jw *w) { close_(w, '}'); }
void fp_jw_arr_begin(fp_jw *w) { open(w, '['); }
void fp_jw_arr_end(fp_jw *w) { close_(w, ']'); }

static void quoted(fp_jw *w, const char *s, size_t n) {
  static const char HEX[] = "0123456789ABCDEF";
  putc1(w, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': put(w, "\\\"", 2); break;
      case '\\': put(w, "\\\\", 2); break;
      case '\b': put(w, "\\b", 2); break;
      case '\f': put(w, "\\f", 2); break;
      case '\n': put(w, "\\n", 2); break;
      case '\r': put(w, "\\r", 2); break;
      case '\t': put(w, "\\t", 2); break;
      default:
        if (c < 0x20) {
          char esc[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
          put(w, esc, sizeof esc);
        } else {
          putc1(w, (char)c);
        }
    }
  }
  putc1(w, '"');
}

void fp_jw_key(fp_jw *w, const char *key) {
  before_value(w);
  quoted(w, key, strlen(key));
  putc1(w, ':');
  w->after_key = true;
}

void fp_jw_strn(fp_jw *w, const char *s, size_t n) {
  before_value(w);
  quoted(w, s, n);
}

void fp_jw_str(fp_jw *w, const char *s) { fp_jw_strn(w, s, strlen(s)); }

size_t fp_format_int(char *out, int64_t v) {
  /* the magnitude in unsigned arithmetic, so INT64_MIN has one too */
  uint64_t u = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
  char digits[FP_INT_CHARS];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + (int)(u % 10u));
    u /= 10u;
  } while (u != 0);
  size_t o = 0;
  if (v < 0) out[o++] = '-';
  while (n > 0) out[o++] = digits[--n];
  return o;
}

void fp_jw_int(fp_jw *w, int64_t v) {
  char buf[FP_INT_CHARS];
  size_t n = fp_format_int(buf, v);
  before_value(w);
  put(w, buf, n);
}

void fp_jw_null(fp_jw *w) {
  before_value(w);
  put(w, "null", 4);
}

void fp_jw_bool(fp_jw *w, bool v) {
  before_value(w);
  put(w, v ? "true" : "false", v ? 4u : 5u);
}

void fp_jw_hex(fp_jw *w, const uint8_t *bytes, size_t n) {
  static const char HEX[] = "0123456789abcdef";
  before_value(w);
  putc1(w, '"');
  for (size_t i = 0; i < n; i++) {
    char pair[2] = {HEX[bytes[i] >> 4], HEX[bytes[i] & 15]};
    put(w, pair, 2);
  }
  putc1(w, '"');
}

/* The shortest decimal that reads back as v (as a float32 when as_float), in the form of Java's
 * Double.toString (Float.toString): plain between 1e-3 and 1e7, else d.dddEn. */
static void write_shortest(fp_jw *w, double v, bool as_float) {
  if (!isfinite(v)) {
    fp_jw_null(w);
    return;
  }
  char out[40];
  size_t o = 0;
  if (v == 0.0) {
    const char *zero = signbit(v) ? "-0.0" : "0.0";
    before_value(w);
    put(w, zero, strlen(zero));
    return;
  }
  /* the shortest %e form that reads back as v: its digits and exponent */
  char sci[40];
  for (int precision = 0; precision < 17; precision++) {
    snprintf(sci, sizeof sci, "%.*e", precision, v);
    double back = strtod(sci, NULL);
    if (as_float ? (float)back == (float)v : back == v) break;
  }
  const char *p = sci;
  if (*p == '-') out[o++] = *p++;
  char digit_buf[20];
  size_t nd = 0;
  for (; *p != 'e'; p++) {
    if (*p != '.') digit_buf[nd++] = *p;
  }
  int exponent = atoi(p + 1);
  while (nd > 1 && digit_buf[nd - 1] == '0') nd--;
  double magnitude = fabs(v);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      for (int i = 0; i <= exponent; i++) out[o++] = (size_t)i < nd ? digit_buf[i] : '0';
      out[o++] = '.';
      if ((size_t)exponent + 1 < nd) {
        for (size_t i = (size_t)exponent + 1; i < nd; i++) out[o++] = digit_buf[i];
      } else {
        out[o++] = '0';
      }
    } else {
      out[o++] = '0';
      out[o++] = '.';
      for (int i = -1; i > exponent; i--) out[o++] = '0';
      for (size_t i = 0; i < nd; i++) out[o++] = digit_buf[i];
    }
  } else {
    out[o++] = digit_buf[0];
    out[o++] = '.';
    if (nd > 1) {
      for (size_t i = 1; i < nd; i++) out[o++] = digit_buf[i];
    } else {
      out[o++] = '0';
    }
    out[o++] = 'E';
    o += fp_format_int(out + o, exponent);
  }
  before_value(w);
  put(w, out, o);
}

void fp_jw_double(fp_jw *w, double v) { write_shortest(w, v, false); }

void fp_jw_float(fp_jw *w, float v) { write_shortest(w, (double)v, true); }

fp_err fp_jw_finish(const fp_jw *w, size_t *len) {
  if (w->overflow) return FP_ERR_NO_SPACE;
  *len = w->len;
  return FP_OK;
}
