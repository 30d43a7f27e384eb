#include "fp_int8_math.h"

#include <math.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the runner reads TFLite's little-endian data as it is: build for a little-endian target"
#endif

int32_t fp_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * b;
  int64_t nudge = ab >= 0 ? (int64_t)1 << 30 : 1 - ((int64_t)1 << 30);
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t fp_rdbpot(int32_t x, int exponent) {
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t fp_mbqm(int32_t x, int32_t multiplier, int shift) {
  int left = shift > 0 ? shift : 0;
  int right = shift > 0 ? 0 : -shift;
  return fp_rdbpot(fp_srdhm(fp_shl(x, left), multiplier), right);
}

int32_t fp_mbqm_smaller(int32_t x, int32_t multiplier, int shift) {
  return fp_rdbpot(fp_srdhm(x, multiplier), -shift);
}

int32_t fp_mbqm_greater(int32_t x, int32_t multiplier, int shift) {
  return fp_srdhm(fp_shl(x, shift), multiplier);
}

int fp_frexp_exponent(double value) {
  int e = 0;
  (void)frexp(value, &e);
  return e;
}

double fp_round_half_away(double x) {
  if (isnan(x) || isinf(x)) return x;
  return round(x);
}

int32_t fp_trunc_i32(double value) {
  if (isnan(value) || value >= 2147483648.0 || value < -2147483648.0) return INT32_MIN;
  return (int32_t)value;
}

fp_qmul fp_quantize_multiplier(double real) {
  fp_qmul q = {0, 0};
  if (real == 0.0 || isnan(real) || isinf(real)) return q;
  int shift = 0;
  double fraction = frexp(real, &shift);
  int64_t fixed = (int64_t)round(fraction * 2147483648.0);
  if (fixed == ((int64_t)1 << 31)) {
    fixed /= 2;
    shift++;
  }
  if (shift < -31) {
    shift = 0;
    fixed = 0;
  }
  q.multiplier = (int32_t)fixed;
  q.shift = shift;
  return q;
}

int32_t fp_input_radius(int integer_bits, int left_shift, int total_signed_bits) {
  double max_rescaled = 1.0 * (double)((1 << integer_bits) - 1) *
                        (double)((int64_t)1 << (total_signed_bits - integer_bits)) /
                        ldexp(1.0, left_shift);
  return (int32_t)floor(max_rescaled);
}

int32_t fp_srmbpot(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return fp_rdbpot(x, -exponent);
  int32_t threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return fp_shl(x, exponent);
}

int32_t fp_rescale(int32_t raw, int src_integer_bits, int dst_integer_bits) {
  return fp_srmbpot(raw, src_integer_bits - dst_integer_bits);
}

#define ONE_Q0 INT32_MAX
#define EXP_MINUS_ONE_EIGHTH_Q0 1895147668
#define ONE_THIRD_Q0 715827883
#define FORTY_EIGHT_SEVENTEENTHS_Q2 1515870810
#define MINUS_THIRTY_TWO_SEVENTEENTHS_Q2 (-1010580540)
#define ONE_Q2 (1 << 29)
#define ONE_HALF_Q0 (1 << 30)

/* exp(-2^e) in Q0.31 for e = -2 .. 4: the barrel shifter of exp_on_negative_values. */
static const int32_t EXP_OF_MINUS_POWER_OF_TWO[7] = {1672461947, 1302514674, 790015084, 290630308,
                                                     39332535,   720401,     242};

/* exp(a) for a in [-1/4, 0), all Q0.31: a Taylor expansion around -1/8. */
static int32_t exp_on_interval(int32_t a) {
  int32_t x = fp_wadd(a, 1 << 28);
  int32_t x2 = fp_srdhm(x, x);
  int32_t x3 = fp_srdhm(x2, x);
  int32_t x4 = fp_srdhm(x2, x2);
  int32_t x4_over_4 = fp_srmbpot(x4, -2);
  int32_t poly = fp_srmbpot(fp_wadd(fp_srdhm(fp_wadd(x4_over_4, x3), ONE_THIRD_Q0), x2), -1);
  return fp_wadd(EXP_MINUS_ONE_EIGHTH_Q0, fp_srdhm(EXP_MINUS_ONE_EIGHTH_Q0, fp_wadd(x, poly)));
}

int32_t fp_exp_on_negative(int32_t a, int integer_bits) {
  int fractional_bits = 31 - integer_bits;
  int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  int32_t mask = one_quarter - 1;
  int32_t a_mod_quarter_minus_one_quarter = fp_wsub(a & mask, one_quarter);
  int32_t result = exp_on_interval(fp_rescale(a_mod_quarter_minus_one_quarter, integer_bits, 0));
  int32_t remainder = fp_wsub(a_mod_quarter_minus_one_quarter, a);
  for (int i = 0; i < 7; i++) {
    int exponent = -2 + i;
    if (integer_bits > exponent) {
      int shift_amount = fractional_bits + exponent;
      if (shift_amount >= 0 && shift_amount < 32 &&
          ((uint32_t)remainder & ((uint32_t)1 << shift_amount)) != 0) {
        result = fp_srdhm(result, EXP_OF_MINUS_POWER_OF_TWO[i]);
      }
    }
  }
  if (integer_bits > 5) {
    int32_t clamp = -((int32_t)1 << (36 - integer_bits));
    if (a < clamp) result = 0;
  }
  return a == 0 ? ONE_Q0 : result;
}

static int32_t rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + b;
  int64_t sign = sum >= 0 ? 1 : -1;
  return (int32_t)((sum + sign) / 2);
}

int32_t fp_one_over_one_plus_x(int32_t a) {
  int32_t half_denominator = rounding_half_sum(a, ONE_Q0);
  int32_t x = fp_wadd(FORTY_EIGHT_SEVENTEENTHS_Q2,
                      fp_srdhm(half_denominator, MINUS_THIRTY_TWO_SEVENTEENTHS_Q2));
  for (int i = 0; i < 3; i++) {
    int32_t half_denominator_times_x = fp_srdhm(half_denominator, x);
    int32_t one_minus = fp_wsub(ONE_Q2, half_denominator_times_x);
    x = fp_wadd(x, fp_rescale(fp_srdhm(x, one_minus), 4, 2));
  }
  return fp_rescale(x, 1, 0);
}

int32_t fp_logistic(int32_t a, int integer_bits) {
  int32_t abs_input = a > 0 ? a : fp_wsub(0, a);
  int32_t if_positive =
      fp_one_over_one_plus_x(fp_exp_on_negative(fp_wsub(0, abs_input), integer_bits));
  if (a == 0) return ONE_HALF_Q0;
  return a > 0 ? if_positive : fp_wsub(ONE_Q0, if_positive);
}

static int leading_zeros(int32_t x) {
  uint32_t u = (uint32_t)x;
  int n = 0;
  if (u == 0) return 32;
  while ((u & 0x80000000u) == 0) {
    u <<= 1;
    n++;
  }
  return n;
}

int32_t fp_reciprocal(int32_t x, int integer_digits, int *bits_over_unit) {
  int headroom_plus_one = leading_zeros(x);
  *bits_over_unit = integer_digits - headroom_plus_one;
  uint32_t shifted = headroom_plus_one >= 32 ? 0u : (uint32_t)x << headroom_plus_one;
  int32_t shifted_sum_minus_one = (int32_t)(shifted - 0x80000000u);
  return fp_one_over_one_plus_x(shifted_sum_minus_one);
}
