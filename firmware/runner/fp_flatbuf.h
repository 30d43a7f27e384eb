/*
 * Bounds-checked reading of a FlatBuffers binary (the format of .tflite files), for buffers that
 * come from the network. Nothing is trusted: every offset, vtable and vector length is checked
 * against the buffer before a byte is read.
 *
 * The format, as FlatBuffers documents it (little-endian throughout):
 *   - the buffer starts with a uoffset (u32) to the root table; a file identifier may follow
 *     (bytes 4..7);
 *   - a table starts with an soffset (i32): its vtable lies at table - soffset. A vtable holds
 *     u16 vtable bytes, u16 table bytes, then one u16 per field id: the field's offset from the
 *     table start, 0 when the field is absent (the reader then takes the schema default);
 *   - a table, vector or string field holds a uoffset relative to the field's own position;
 *   - a vector is a u32 element count followed by the elements; a vector of tables holds
 *     uoffsets relative to each element's position;
 *   - a union is two fields: a u8 type (id n) and a table (id n + 1).
 *
 * Errors are sticky: the first failed check sets fb->bad and every later read returns zeros, so a
 * parser reads a whole table and checks fb->bad once. Zero values are always safe to go on with.
 */
#ifndef FP_FLATBUF_H
#define FP_FLATBUF_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  const uint8_t *buf;
  uint32_t len;
  bool bad;
} fp_fb;

/* A table; pos 0 means absent (no table can start at byte 0). */
typedef struct {
  uint32_t pos;
  uint32_t vt;
  uint16_t vt_bytes;
  uint16_t table_bytes;
} fp_fb_table;

/* A vector: n elements from byte at; n 0 when absent. */
typedef struct {
  uint32_t at;
  uint32_t n;
} fp_fb_vec;

void fp_fb_init(fp_fb *fb, const uint8_t *buf, uint32_t len);

/* Little-endian loads from any alignment; the caller has checked the bounds. */
uint32_t fp_fb_le32(const uint8_t *p);
uint16_t fp_fb_le16(const uint8_t *p);

/* The root table. */
fp_fb_table fp_fb_root(fp_fb *fb);

/* Scalar fields of table t, or def when absent. */
uint8_t fp_fb_u8(fp_fb *fb, const fp_fb_table *t, unsigned id, uint8_t def);
int32_t fp_fb_i32(fp_fb *fb, const fp_fb_table *t, unsigned id, int32_t def);
uint32_t fp_fb_u32(fp_fb *fb, const fp_fb_table *t, unsigned id, uint32_t def);
uint64_t fp_fb_u64(fp_fb *fb, const fp_fb_table *t, unsigned id, uint64_t def);
float fp_fb_f32(fp_fb *fb, const fp_fb_table *t, unsigned id, float def);

/* A table field (pos 0 when absent). */
fp_fb_table fp_fb_sub(fp_fb *fb, const fp_fb_table *t, unsigned id);

/* A vector field of elem_bytes elements (a string is a vector of 1-byte elements). */
fp_fb_vec fp_fb_vector(fp_fb *fb, const fp_fb_table *t, unsigned id, uint32_t elem_bytes);

/* Element i of a vector of tables. */
fp_fb_table fp_fb_vec_table(fp_fb *fb, const fp_fb_vec *v, uint32_t i);

/* Element i of a vector of 4-byte values (i < v->n, checked). */
uint32_t fp_fb_vec_u32(fp_fb *fb, const fp_fb_vec *v, uint32_t i);

#endif
