#include "fp_flatbuf.h"

#include <string.h>

void fp_fb_init(fp_fb *fb, const uint8_t *buf, uint32_t len) {
  fb->buf = buf;
  fb->len = len;
  fb->bad = false;
}

uint32_t fp_fb_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint16_t fp_fb_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static bool fits(const fp_fb *fb, uint64_t pos, uint64_t bytes) {
  return pos <= fb->len && bytes <= fb->len - pos;
}

static fp_fb_table fail(fp_fb *fb) {
  fb->bad = true;
  fp_fb_table none = {0, 0, 0, 0};
  return none;
}

/* The table at pos, with its vtable checked to lie in the buffer and to describe a table that
 * does too. */
static fp_fb_table table_at(fp_fb *fb, uint64_t pos) {
  if (fb->bad || pos == 0 || !fits(fb, pos, 4)) return fail(fb);
  int64_t soffset = (int32_t)fp_fb_le32(fb->buf + pos);
  int64_t vt = (int64_t)pos - soffset;
  if (vt < 0 || !fits(fb, (uint64_t)vt, 4)) return fail(fb);
  fp_fb_table t;
  t.pos = (uint32_t)pos;
  t.vt = (uint32_t)vt;
  t.vt_bytes = fp_fb_le16(fb->buf + vt);
  t.table_bytes = fp_fb_le16(fb->buf + vt + 2);
  if (t.vt_bytes < 4 || (t.vt_bytes & 1u) != 0 || !fits(fb, t.vt, t.vt_bytes) ||
      t.table_bytes < 4 || !fits(fb, pos, t.table_bytes)) {
    return fail(fb);
  }
  return t;
}

fp_fb_table fp_fb_root(fp_fb *fb) {
  if (!fits(fb, 0, 8)) return fail(fb);
  return table_at(fb, fp_fb_le32(fb->buf));
}

/* Position of field id holding size bytes, 0 when absent; the field must lie in the table. */
static uint32_t field(fp_fb *fb, const fp_fb_table *t, unsigned id, uint32_t size) {
  if (fb->bad || t->pos == 0) return 0;
  uint32_t slot = 4u + 2u * id;
  if (slot + 2u > t->vt_bytes) return 0;
  uint16_t off = fp_fb_le16(fb->buf + t->vt + slot);
  if (off == 0) return 0;
  if (off < 4u || (uint32_t)off + size > t->table_bytes) {
    fb->bad = true;
    return 0;
  }
  return t->pos + off;
}

uint8_t fp_fb_u8(fp_fb *fb, const fp_fb_table *t, unsigned id, uint8_t def) {
  uint32_t at = field(fb, t, id, 1);
  return at ? fb->buf[at] : (fb->bad ? 0 : def);
}

uint32_t fp_fb_u32(fp_fb *fb, const fp_fb_table *t, unsigned id, uint32_t def) {
  uint32_t at = field(fb, t, id, 4);
  return at ? fp_fb_le32(fb->buf + at) : (fb->bad ? 0 : def);
}

int32_t fp_fb_i32(fp_fb *fb, const fp_fb_table *t, unsigned id, int32_t def) {
  return (int32_t)fp_fb_u32(fb, t, id, (uint32_t)def);
}

uint64_t fp_fb_u64(fp_fb *fb, const fp_fb_table *t, unsigned id, uint64_t def) {
  uint32_t at = field(fb, t, id, 8);
  if (!at) return fb->bad ? 0 : def;
  return (uint64_t)fp_fb_le32(fb->buf + at) | (uint64_t)fp_fb_le32(fb->buf + at + 4) << 32;
}

float fp_fb_f32(fp_fb *fb, const fp_fb_table *t, unsigned id, float def) {
  uint32_t at = field(fb, t, id, 4);
  if (!at) return fb->bad ? 0.0f : def;
  uint32_t bits = fp_fb_le32(fb->buf + at);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* The target of the uoffset field id, 0 when absent. */
static uint64_t reference(fp_fb *fb, const fp_fb_table *t, unsigned id) {
  uint32_t at = field(fb, t, id, 4);
  if (!at) return 0;
  uint64_t target = (uint64_t)at + fp_fb_le32(fb->buf + at);
  if (!fits(fb, target, 4)) {
    fb->bad = true;
    return 0;
  }
  return target;
}

fp_fb_table fp_fb_sub(fp_fb *fb, const fp_fb_table *t, unsigned id) {
  uint64_t target = reference(fb, t, id);
  if (target == 0) {
    fp_fb_table none = {0, 0, 0, 0};
    return none;
  }
  return table_at(fb, target);
}

fp_fb_vec fp_fb_vector(fp_fb *fb, const fp_fb_table *t, unsigned id, uint32_t elem_bytes) {
  fp_fb_vec v = {0, 0};
  uint64_t target = reference(fb, t, id);
  if (target == 0) return v;
  uint32_t n = fp_fb_le32(fb->buf + target);
  if (!fits(fb, target + 4, (uint64_t)n * elem_bytes)) {
    fb->bad = true;
    return v;
  }
  v.at = (uint32_t)target + 4u;
  v.n = n;
  return v;
}

fp_fb_table fp_fb_vec_table(fp_fb *fb, const fp_fb_vec *v, uint32_t i) {
  if (fb->bad || i >= v->n) return fail(fb);
  uint64_t at = (uint64_t)v->at + 4u * (uint64_t)i;
  return table_at(fb, at + fp_fb_le32(fb->buf + at));
}

uint32_t fp_fb_vec_u32(fp_fb *fb, const fp_fb_vec *v, uint32_t i) {
  if (fb->bad || i >= v->n) {
    fb->bad = true;
    return 0;
  }
  return fp_fb_le32(fb->buf + v->at + 4u * i);
}
