package io.fieldproof.model.tflite;

import java.util.Arrays;

/**
 * Affine quantization of a tensor: {@code real = scale * (q - zeroPoint)}, either one scale for the
 * tensor or one per channel along {@link #quantizedDimension()}. Immutable.
 */
public final class Quantization {

  /** No quantization parameters. */
  public static final Quantization NONE = new Quantization(new float[0], new long[0], 0);

  private final float[] scales;
  private final long[] zeroPoints;
  private final int quantizedDimension;

  private Quantization(float[] scales, long[] zeroPoints, int quantizedDimension) {
    this.scales = scales;
    this.zeroPoints = zeroPoints;
    this.quantizedDimension = quantizedDimension;
  }

  /** Quantization with the given scales and zero points (copied). */
  public static Quantization of(float[] scales, long[] zeroPoints, int quantizedDimension) {
    return new Quantization(scales.clone(), zeroPoints.clone(), quantizedDimension);
  }

  /** Per-tensor quantization. */
  public static Quantization perTensor(float scale, long zeroPoint) {
    return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
  }

  /** Whether at least one scale is present. */
  public boolean isPresent() {
    return scales.length > 0;
  }

  /** Whether there is more than one scale (per-channel quantization). */
  public boolean isPerChannel() {
    return scales.length > 1;
  }

  /** Number of scales. */
  public int channelCount() {
    return scales.length;
  }

  /** The first (per-tensor) scale; 0 when absent. */
  public float scale() {
    return scales.length == 0 ? 0f : scales[0];
  }

  /** The first (per-tensor) zero point; 0 when absent. */
  public int zeroPoint() {
    return zeroPoints.length == 0 ? 0 : (int) zeroPoints[0];
  }

  /** Scale of channel {@code channel}. */
  public float scale(int channel) {
    return scales[channel];
  }

  /** Zero point of channel {@code channel} (the first one when fewer are stored). */
  public long zeroPoint(int channel) {
    return zeroPoints.length == 0 ? 0 : zeroPoints[Math.min(channel, zeroPoints.length - 1)];
  }

  /** A copy of all scales. */
  public float[] scales() {
    return scales.clone();
  }

  /** A copy of all zero points. */
  public long[] zeroPoints() {
    return zeroPoints.clone();
  }

  /** The dimension the per-channel scales run along. */
  public int quantizedDimension() {
    return quantizedDimension;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Quantization q
        && quantizedDimension == q.quantizedDimension
        && Arrays.equals(scales, q.scales)
        && Arrays.equals(zeroPoints, q.zeroPoints);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints)) + quantizedDimension;
  }

  @Override
  public String toString() {
    if (!isPresent()) {
      return "none";
    }
    return isPerChannel()
        ? "per-channel(" + scales.length + " along dim " + quantizedDimension + ")"
        : "scale=" + scales[0] + " zeroPoint=" + zeroPoint();
  }
}
