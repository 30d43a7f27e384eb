#include "fp_host_identity.h"

#include <stdio.h>
#include <string.h>

/* java.util.SplittableRandom, as far as HardwareId uses it (Java 17). */
typedef struct {
  uint64_t seed;
} splittable;

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ull

static uint64_t next_seed(splittable *r) { return r->seed += GOLDEN_GAMMA; }

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static uint32_t mix32(uint64_t z) {
  z = (z ^ (z >> 33)) * 0x62a9d9ed799705f5ull;
  return (uint32_t)(((z ^ (z >> 28)) * 0xcb24d0a5c88c35b3ull) >> 32);
}

static int32_t next_int(splittable *r) { return (int32_t)mix32(next_seed(r)); }

static int32_t next_int_bounded(splittable *r, int32_t bound) {
  int32_t rr = next_int(r);
  int32_t m = bound - 1;
  if ((bound & m) == 0) return rr & m;
  for (int32_t u = (int32_t)((uint32_t)rr >> 1);; u = (int32_t)((uint32_t)next_int(r) >> 1)) {
    rr = u % bound;
    if ((int32_t)((uint32_t)u + (uint32_t)m - (uint32_t)rr) >= 0) break;
  }
  return rr;
}

static uint32_t permute24(uint32_t value) {
  uint32_t x = (value * 0x9E3779u) & 0xFFFFFFu;
  x ^= x >> 12;
  x = (x * 0xC2B2AFu) & 0xFFFFFFu;
  return x ^ (x >> 11);
}

static uint32_t permute32(uint32_t value) {
  uint32_t x = value * 0x9E3779B9u;
  x ^= x >> 16;
  x *= 0x85EBCA6Bu;
  return x ^ (x >> 13);
}

fp_err fp_host_device_id(const char *chip, int64_t seed, char *out, size_t cap) {
  splittable r = {(uint64_t)seed};
  uint8_t id[12];
  size_t n;
  const char *prefix;
  if (strncmp(chip, "esp32", 5) == 0) {
    static const uint8_t OUIS[4][3] = {
        {0xa4, 0xcf, 0x12}, {0x24, 0x0a, 0xc4}, {0x30, 0xae, 0xa4}, {0x7c, 0xdf, 0xa1}};
    int64_t v = (int64_t)mix64(next_seed(&r));
    int64_t index = ((v % 4) + 4) % 4;
    uint32_t nic = permute24((uint32_t)seed & 0xFFFFFFu);
    memcpy(id, OUIS[index], 3);
    id[3] = (uint8_t)(nic >> 16);
    id[4] = (uint8_t)(nic >> 8);
    id[5] = (uint8_t)nic;
    n = 6;
    prefix = "esp32-";
  } else if (strncmp(chip, "stm32", 5) == 0) {
    static const char LOT[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint32_t xy = permute32((uint32_t)seed);
    for (int i = 0; i < 4; i++) id[i] = (uint8_t)(xy >> (8 * i));
    id[4] = (uint8_t)(1 + next_int_bounded(&r, 25));
    for (int i = 5; i < 12; i++) id[i] = (uint8_t)LOT[next_int_bounded(&r, 36)];
    n = 12;
    prefix = "stm32-";
  } else {
    return FP_ERR_ARG;
  }
  if (cap < strlen(prefix) + 2 * n + 1) return FP_ERR_NO_SPACE;
  size_t o = (size_t)snprintf(out, cap, "%s", prefix);
  for (size_t i = 0; i < n; i++) o += (size_t)snprintf(out + o, cap - o, "%02x", id[i]);
  return FP_OK;
}
