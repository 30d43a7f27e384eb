/*
 * The integer arithmetic of TensorFlow Lite Micro's int8 reference kernels, so that results are
 * bit-exact with it: gemmlowp's fixed-point primitives (fixedpoint.h), TFLite's quantization
 * utilities (quantization_util.cc, common.h) in their double-rounding form (TFLM is built without
 * TFLITE_SINGLE_ROUNDING), and the transcendental functions SOFTMAX and LOGISTIC use.
 *
 * Integer overflow wraps, as it does on every target TFLM runs on (and in the Java interpreter this
 * ports): additions that can overflow go through fp_wadd, left shifts through unsigned values.
 */
#ifndef FP_INT8_MATH_H
#define FP_INT8_MATH_H

#include <stdint.h>

/* A real multiplier as TFLite stores it: real ~ multiplier / 2^31 * 2^shift. */
typedef struct {
  int32_t multiplier;
  int32_t shift;
} fp_qmul;

/* Two's complement wrapping add and subtract. */
static inline int32_t fp_wadd(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t fp_wsub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t fp_shl(int32_t x, int s) { return (int32_t)((uint32_t)x << s); }
static inline int32_t fp_clamp(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

/* SaturatingRoundingDoublingHighMul: round(a * b / 2^31), halves away from zero. */
int32_t fp_srdhm(int32_t a, int32_t b);
/* RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; exponent 0..31. */
int32_t fp_rdbpot(int32_t x, int exponent);
/* MultiplyByQuantizedMultiplier (double rounding): x * multiplier * 2^shift. */
int32_t fp_mbqm(int32_t x, int32_t multiplier, int shift);
/* MultiplyByQuantizedMultiplierSmallerThanOneExp (shift <= 0). */
int32_t fp_mbqm_smaller(int32_t x, int32_t multiplier, int shift);
/* MultiplyByQuantizedMultiplierGreaterThanOne (shift >= 0). */
int32_t fp_mbqm_greater(int32_t x, int32_t multiplier, int shift);

/* QuantizeMultiplier: frexp, round(q * 2^31) halves away from zero; 2^31 halved and the shift
 * raised; shifts below -31 flush to zero. */
fp_qmul fp_quantize_multiplier(double real);
/* C's frexp exponent of a finite non-zero value. */
int fp_frexp_exponent(double value);
/* CalculateInputRadius(integer_bits, left_shift, total_signed_bits). */
int32_t fp_input_radius(int integer_bits, int left_shift, int total_signed_bits);
/* C's round() (halves away from zero), on a double. */
double fp_round_half_away(double x);
/* static_cast<int32_t> of a rounded float as x86 executes it: INT32_MIN for NaN and out of range. */
int32_t fp_trunc_i32(double value);

/* gemmlowp SaturatingRoundingMultiplyByPOT<exponent>. */
int32_t fp_srmbpot(int32_t x, int exponent);
/* Rescale<dst_integer_bits> of a value with src_integer_bits. */
int32_t fp_rescale(int32_t raw, int src_integer_bits, int dst_integer_bits);
/* exp(a) in Q0.31 for a <= 0 with integer_bits integer bits (exp_on_negative_values). */
int32_t fp_exp_on_negative(int32_t a, int integer_bits);
/* 1 / (1 + a) in Q0.31 for a in [0, 1) (one_over_one_plus_x_for_x_in_0_1). */
int32_t fp_one_over_one_plus_x(int32_t a);
/* 1 / (1 + exp(-a)) in Q0.31 for a with integer_bits integer bits (gemmlowp logistic). */
int32_t fp_logistic(int32_t a, int integer_bits);
/* The Q0.31 significand and the num_bits_over_unit of TFLite's GetReciprocal(x, integer_digits). */
int32_t fp_reciprocal(int32_t x, int integer_digits, int *bits_over_unit);

#endif
