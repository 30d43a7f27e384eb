package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Quantization;

/**
 * Output multipliers per channel of a convolution or dense layer (TFLite's {@code
 * PopulateConvolutionQuantizationParams}): for each channel {@code c}, {@code (double) inputScale *
 * (double) filterScale[c] / (double) outputScale} through {@link QuantizedMath#quantizeMultiplier};
 * a per-tensor filter uses its one scale for every channel.
 *
 * @param multipliers Q0.31 multiplier per channel
 * @param shifts shift per channel
 */
record ChannelMultipliers(int[] multipliers, int[] shifts) {

  static ChannelMultipliers of(
      Operator op,
      float inputScale,
      Quantization filter,
      int filterChannelDimension,
      int filterChannels,
      float outputScale) {
    if (filter.isPerChannel()
        && (filter.channelCount() != filterChannels
            || filter.quantizedDimension() != filterChannelDimension)) {
      throw TensorStorage.badQuantization(
          op,
          "filter has "
              + filter.channelCount()
              + " scales along dimension "
              + filter.quantizedDimension()
              + ", expected "
              + filterChannels
              + " along dimension "
              + filterChannelDimension);
    }
    int[] multipliers = new int[filterChannels];
    int[] shifts = new int[filterChannels];
    for (int c = 0; c < filterChannels; c++) {
      float scale = filter.isPerChannel() ? filter.scale(c) : filter.scale();
      double effective = (double) inputScale * (double) scale / (double) outputScale;
      QuantizedMultiplier q = QuantizedMath.quantizeMultiplier(effective);
      multipliers[c] = q.multiplier();
      shifts[c] = q.shift();
    }
    return new ChannelMultipliers(multipliers, shifts);
  }
}
