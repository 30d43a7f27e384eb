package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;

/**
 * HARD_SWISH int8 ({@code micro/kernels/hard_swish_common.cc}, {@code reference_ops::HardSwish}):
 * TFLite's 16-bit fixed-point path. Prepare, in float: {@code hiresScale = inputScale / 128}; the
 * output multiplier {@code hiresScale / outputScale} and the "reluish" multiplier {@code hiresScale
 * / (3 / 32768)} through {@code QuantizeMultiplier}, each significand rounded down to 16 bits
 * ({@code DownScaleInt32ToInt16Multiplier}); the output exponent must not be positive. Evaluation
 * on int16 values: the input on the high-resolution scale ({@code (x - zp) * 128}), the reluish
 * value (relu6(x + 3) / 6 mapped to [0, 32767]) and their product, each with gemmlowp's int16
 * rounding, C++ truncating division and int16 wrap-around where the reference has them.
 */
final class HardSwishKernel implements Kernel {

  private final Int8Operand in;
  private final Int8Operand out;
  private final short outputMultiplier;
  private final int outputExponent;
  private final short reluishMultiplier;
  private final int reluishExponent;

  HardSwishKernel(Operator op, TensorStorage storage) {
    this.in = storage.int8Input(op, 0);
    this.out = storage.int8Output(op, 0);
    KernelChecks.sameSize(op, in, out);
    float hiresInputScale = (1.0f / 128.0f) * in.scale();
    float reluishScale = 3.0f / 32768.0f;
    QuantizedMultiplier qOut =
        QuantizedMath.quantizeMultiplier((double) (hiresInputScale / out.scale()));
    QuantizedMultiplier qReluish =
        QuantizedMath.quantizeMultiplier((double) (hiresInputScale / reluishScale));
    if (qOut.shift() > 0) {
      throw TensorStorage.badQuantization(
          op,
          "input scale "
              + in.scale()
              + " over output scale "
              + out.scale()
              + " exceeds 128, which TFLite Micro's int8 HARD_SWISH refuses");
    }
    this.outputMultiplier = downScale(qOut.multiplier());
    this.outputExponent = qOut.shift();
    this.reluishMultiplier = downScale(qReluish.multiplier());
    this.reluishExponent = qReluish.shift();
  }

  /** {@code DownScaleInt32ToInt16Multiplier}: the top 16 bits, rounded, saturating at 32767. */
  static short downScale(int multiplier) {
    if (multiplier >= Integer.MAX_VALUE - (1 << 15)) {
      return Short.MAX_VALUE;
    }
    return (short) ((multiplier + (1 << 15)) >> 16);
  }

  /** gemmlowp's int16 {@code SaturatingRoundingDoublingHighMul}. */
  static short roundingDoublingHighMul16(short a, short b) {
    if (a == b && a == Short.MIN_VALUE) {
      return Short.MAX_VALUE;
    }
    int ab = a * b;
    int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (short) ((ab + nudge) / (1 << 15));
  }

  /** TFLite's int16 {@code SaturatingDoublingHighMul}: truncating, no rounding. */
  static short doublingHighMul16(short a, short b) {
    if (a == b && a == Short.MIN_VALUE) {
      return Short.MAX_VALUE;
    }
    return (short) ((a * b) / (1 << 15));
  }

  /** TFLite's int16 {@code SaturatingLeftShift}. */
  static short saturatingLeftShift16(short value, int amount) {
    long result = (long) value * (1L << amount);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, result));
  }

  @Override
  public void run() {
    byte[] x = in.data();
    byte[] o = out.data();
    int size = out.size();
    for (int i = 0; i < size; i++) {
      short inputValue = (short) (x[in.offset() + i] - in.zeroPoint());
      short hires = (short) (inputValue * (1 << 7));
      short preshiftOutputScale = roundingDoublingHighMul16(hires, outputMultiplier);
      short reluish = hires;
      if (reluishExponent > 0) {
        reluish = saturatingLeftShift16(reluish, reluishExponent - 1);
      }
      reluish = roundingDoublingHighMul16(reluish, reluishMultiplier);
      if (reluishExponent > 0) {
        reluish = saturatingLeftShift16(reluish, 1);
      }
      if (reluishExponent < 0) {
        reluish = (short) QuantizedMath.roundingDivideByPot(reluish, -reluishExponent);
      }
      reluish = (short) ((reluish + (1 << 15)) >> 1);
      short preshiftOutput = doublingHighMul16(reluish, preshiftOutputScale);
      short value = (short) QuantizedMath.roundingDivideByPot(preshiftOutput, -outputExponent);
      value = (short) (value + out.zeroPoint());
      o[out.offset() + i] = (byte) Math.max(-128, Math.min(127, value));
    }
  }
}
