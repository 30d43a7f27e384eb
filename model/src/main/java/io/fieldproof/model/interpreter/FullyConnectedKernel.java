package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;
import io.fieldproof.model.tflite.Quantization;
import io.fieldproof.model.tflite.Shape;
import io.fieldproof.model.tflite.Tensor;

/**
 * FULLY_CONNECTED, int8 ({@code reference_integer_ops::FullyConnected} and {@code
 * FullyConnectedPerChannel}): filter [outDepth, accumDepth]; {@code acc = Σ (filter + filterOffset)
 * * (input - inputZeroPoint) + bias}, rescaled, plus the output zero point, clamped. A per-tensor
 * filter's multiplier is {@code (double) (inputScale * filterScale) / (double) outputScale} with
 * the product taken in float, as TFLite's {@code GetQuantizedConvolutionMultipler} does, after its
 * check that the bias scale differs from the (double) product by at most 2 % of the output scale; a
 * per-channel filter uses {@link ChannelMultipliers}.
 */
final class FullyConnectedKernel implements Kernel {

  private static final double BIAS_SCALE_TOLERANCE = 0.02;

  private final byte[] input;
  private final int inputOffset;
  private final byte[] filter;
  private final int[] bias;
  private final byte[] output;
  private final int outputOffset;
  private final int[] multipliers;
  private final int[] shifts;
  private final boolean perChannel;
  private final int inputZeroOffset;
  private final int filterZeroOffset;
  private final int outputZeroPoint;
  private final ActivationRange range;
  private final int batches;
  private final int outputDepth;
  private final int accumDepth;

  FullyConnectedKernel(Operator op, TensorStorage storage) {
    OperatorOptions.FullyConnected options = (OperatorOptions.FullyConnected) op.options();
    if (options.weightsFormat() != 0) {
      throw TensorStorage.invalid(
          op, "weights format " + options.weightsFormat() + " is not DEFAULT");
    }
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand weights = storage.int8Input(op, 1);
    Int8Operand out = storage.int8Output(op, 0);
    Shape filterShape = weights.shape();
    Shape outShape = out.shape();
    if (filterShape.rank() < 2 || outShape.rank() < 1) {
      throw TensorStorage.invalid(
          op, "filter " + filterShape + " or output " + outShape + " too small");
    }
    this.outputDepth = outShape.dim(outShape.rank() - 1);
    this.batches = outputDepth == 0 ? 0 : outShape.flatSize() / outputDepth;
    this.accumDepth = filterShape.dim(filterShape.rank() - 1);
    if (outputDepth > filterShape.dim(filterShape.rank() - 2)
        || (long) batches * accumDepth != in.size()) {
      throw TensorStorage.invalid(
          op,
          "input "
              + in.shape()
              + ", filter "
              + filterShape
              + " and output "
              + outShape
              + " do not match");
    }
    this.bias = KernelChecks.bias(op, storage, outputDepth);
    Tensor filterTensor = storage.tensor(weights.tensor());
    Quantization filterQuantization = filterTensor.quantization();
    this.perChannel = filterQuantization.isPerChannel();
    if (perChannel) {
      ChannelMultipliers channels =
          ChannelMultipliers.of(
              op,
              in.scale(),
              filterQuantization,
              filterQuantization.quantizedDimension(),
              filterShape.dim(filterQuantization.quantizedDimension()),
              out.scale());
      this.multipliers = channels.multipliers();
      this.shifts = channels.shifts();
    } else {
      QuantizedMultiplier q = perTensorMultiplier(op, storage, in, weights, out);
      this.multipliers = new int[] {q.multiplier()};
      this.shifts = new int[] {q.shift()};
    }
    this.range = KernelChecks.activation(op, options.activation(), out);
    this.input = in.data();
    this.inputOffset = in.offset();
    this.filter = weights.data();
    this.output = out.data();
    this.outputOffset = out.offset();
    this.inputZeroOffset = -in.zeroPoint();
    this.filterZeroOffset = -weights.zeroPoint();
    this.outputZeroPoint = out.zeroPoint();
  }

  private static QuantizedMultiplier perTensorMultiplier(
      Operator op, TensorStorage storage, Int8Operand in, Int8Operand weights, Int8Operand out) {
    if (op.input(2) >= 0) {
      double exactProduct = (double) in.scale() * (double) weights.scale();
      double biasScale = storage.tensor(op.input(2)).quantization().scale();
      double difference = Math.abs(exactProduct - biasScale);
      if (!(difference / (double) out.scale() <= BIAS_SCALE_TOLERANCE)) {
        throw TensorStorage.badQuantization(
            op,
            "bias scale "
                + biasScale
                + " differs from input scale times filter scale "
                + exactProduct);
      }
    }
    double productScale = (double) (in.scale() * weights.scale());
    return QuantizedMath.quantizeMultiplier(productScale / (double) out.scale());
  }

  @Override
  public void run() {
    for (int b = 0; b < batches; b++) {
      int inBase = inputOffset + b * accumDepth;
      for (int outC = 0; outC < outputDepth; outC++) {
        int filterBase = outC * accumDepth;
        int acc = 0;
        if (perChannel) {
          for (int d = 0; d < accumDepth; d++) {
            acc += filter[filterBase + d] * (input[inBase + d] + inputZeroOffset);
          }
        } else {
          for (int d = 0; d < accumDepth; d++) {
            acc +=
                (filter[filterBase + d] + filterZeroOffset) * (input[inBase + d] + inputZeroOffset);
          }
        }
        if (bias != null) {
          acc += bias[outC];
        }
        int channel = perChannel ? outC : 0;
        acc =
            QuantizedMath.multiplyByQuantizedMultiplier(acc, multipliers[channel], shifts[channel]);
        output[outputOffset + outC + outputDepth * b] = (byte) range.clamp(acc + outputZeroPoint);
      }
    }
  }
}
