package io.fieldproof.model.interpreter;

/**
 * A real multiplier as TFLite stores it: {@code real ≈ multiplier / 2^31 * 2^shift}, with {@code
 * multiplier} in [2^30, 2^31) (or 0) and {@code shift} positive to the left.
 *
 * @param multiplier Q0.31 significand
 * @param shift power-of-two exponent, positive = left shift
 */
public record QuantizedMultiplier(int multiplier, int shift) {}
