package io.fieldproof.model.footprint;

import java.util.List;

/**
 * How fast one chip runs the project's int8 runner: the coefficients of {@link LatencyEstimate}.
 * Cycles of one inference = dense MACs x {@code cyclesPerDenseMac} + convolution MACs x {@code
 * cyclesPerConvMac} + operators x {@code cyclesPerOperator}.
 *
 * @param chip the chip as devices name it ({@code esp32}, {@code esp32s3}, {@code stm32f4}, {@code
 *     stm32l4})
 * @param clockMhz core clock: cycles become microseconds at this rate
 * @param cyclesPerDenseMac cycles per multiply-accumulate of FULLY_CONNECTED
 * @param cyclesPerConvMac cycles per multiply-accumulate of CONV_2D and DEPTHWISE_CONV_2D (window
 *     positions, padding and per-output requantization make these dearer than a dense MAC)
 * @param cyclesPerOperator fixed cycles of every operator (dispatch, per-output requantization,
 *     element-wise work of the operators without MACs)
 */
public record ChipProfile(
    String chip,
    long clockMhz,
    long cyclesPerDenseMac,
    long cyclesPerConvMac,
    long cyclesPerOperator) {

  /** Cycles of one inference of a model whose operators cost {@code costs}. */
  public long cycles(List<OperatorCost> costs) {
    long cycles = 0;
    for (OperatorCost cost : costs) {
      cycles += cost.macs() * cyclesPerMac(cost) + cyclesPerOperator;
    }
    return cycles;
  }

  /**
   * Whole microseconds that {@code cycles} take at the core clock (rounded down, as devices do).
   */
  public long micros(long cycles) {
    return cycles / clockMhz;
  }

  private long cyclesPerMac(OperatorCost cost) {
    return switch (cost.operator()) {
      case CONV_2D, DEPTHWISE_CONV_2D -> cyclesPerConvMac;
      default -> cyclesPerDenseMac;
    };
  }
}
