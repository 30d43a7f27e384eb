package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.OperatorOptions;
import io.fieldproof.model.tflite.Shape;

/**
 * DEPTHWISE_CONV_2D, int8 per-channel ({@code reference_integer_ops::DepthwiseConvPerChannel}):
 * filter [1, kh, kw, inC * depthMultiplier]; output channel {@code m + inC * depthMultiplier} reads
 * only input channel {@code inC}; the rest is CONV_2D's arithmetic.
 */
final class DepthwiseConv2DKernel implements Kernel {

  private final byte[] input;
  private final int inputOffset;
  private final byte[] filter;
  private final int[] bias;
  private final byte[] output;
  private final int outputOffset;
  private final int[] multipliers;
  private final int[] shifts;
  private final int inputZeroOffset;
  private final int outputZeroPoint;
  private final ActivationRange range;
  private final int batches;
  private final int inputHeight;
  private final int inputWidth;
  private final int inputDepth;
  private final int depthMultiplier;
  private final int filterHeight;
  private final int filterWidth;
  private final int outputHeight;
  private final int outputWidth;
  private final int outputDepth;
  private final int strideHeight;
  private final int strideWidth;
  private final int dilationHeight;
  private final int dilationWidth;
  private final int padHeight;
  private final int padWidth;

  DepthwiseConv2DKernel(Operator op, TensorStorage storage) {
    OperatorOptions.DepthwiseConv2D options = (OperatorOptions.DepthwiseConv2D) op.options();
    Int8Operand in = storage.int8Input(op, 0);
    Int8Operand weights = storage.int8Input(op, 1);
    Int8Operand out = storage.int8Output(op, 0);
    Shape inShape = KernelChecks.rank(op, in, 4, "input");
    Shape filterShape = KernelChecks.rank(op, weights, 4, "filter");
    Shape outShape = KernelChecks.rank(op, out, 4, "output");
    KernelChecks.window(
        op,
        options.strideWidth(),
        options.strideHeight(),
        options.dilationWidth(),
        options.dilationHeight());
    this.batches = inShape.dim(0);
    this.inputHeight = inShape.dim(1);
    this.inputWidth = inShape.dim(2);
    this.inputDepth = inShape.dim(3);
    this.filterHeight = filterShape.dim(1);
    this.filterWidth = filterShape.dim(2);
    this.outputDepth = filterShape.dim(3);
    this.depthMultiplier = options.depthMultiplier();
    if (filterShape.dim(0) != 1
        || depthMultiplier <= 0
        || outputDepth != inputDepth * depthMultiplier) {
      throw TensorStorage.invalid(
          op,
          "filter "
              + filterShape
              + " with depth multiplier "
              + depthMultiplier
              + " does not match input depth "
              + inputDepth);
    }
    WindowGeometry rows =
        WindowGeometry.of(
            options.padding(),
            inputHeight,
            filterHeight,
            options.strideHeight(),
            options.dilationHeight());
    WindowGeometry columns =
        WindowGeometry.of(
            options.padding(),
            inputWidth,
            filterWidth,
            options.strideWidth(),
            options.dilationWidth());
    KernelChecks.shape(op, outShape, batches, rows.outputSize(), columns.outputSize(), outputDepth);
    this.outputHeight = rows.outputSize();
    this.outputWidth = columns.outputSize();
    this.padHeight = rows.padding();
    this.padWidth = columns.padding();
    this.strideHeight = options.strideHeight();
    this.strideWidth = options.strideWidth();
    this.dilationHeight = options.dilationHeight();
    this.dilationWidth = options.dilationWidth();
    this.bias = KernelChecks.bias(op, storage, outputDepth);
    ChannelMultipliers channels =
        ChannelMultipliers.of(
            op,
            in.scale(),
            storage.tensor(weights.tensor()).quantization(),
            3,
            outputDepth,
            out.scale());
    this.multipliers = channels.multipliers();
    this.shifts = channels.shifts();
    this.range = KernelChecks.activation(op, options.activation(), out);
    this.input = in.data();
    this.inputOffset = in.offset();
    this.filter = weights.data();
    this.output = out.data();
    this.outputOffset = out.offset();
    this.inputZeroOffset = -in.zeroPoint();
    this.outputZeroPoint = out.zeroPoint();
  }

  @Override
  public void run() {
    for (int b = 0; b < batches; b++) {
      for (int outY = 0; outY < outputHeight; outY++) {
        int inYOrigin = outY * strideHeight - padHeight;
        for (int outX = 0; outX < outputWidth; outX++) {
          int inXOrigin = outX * strideWidth - padWidth;
          for (int inC = 0; inC < inputDepth; inC++) {
            for (int m = 0; m < depthMultiplier; m++) {
              int outC = m + inC * depthMultiplier;
              int acc = accumulate(b, inYOrigin, inXOrigin, inC, outC);
              if (bias != null) {
                acc += bias[outC];
              }
              acc =
                  QuantizedMath.multiplyByQuantizedMultiplier(acc, multipliers[outC], shifts[outC]);
              acc = range.clamp(acc + outputZeroPoint);
              int at = ((b * outputHeight + outY) * outputWidth + outX) * outputDepth + outC;
              output[outputOffset + at] = (byte) acc;
            }
          }
        }
      }
    }
  }

  private int accumulate(int b, int inYOrigin, int inXOrigin, int inC, int outC) {
    int acc = 0;
    for (int fy = 0; fy < filterHeight; fy++) {
      int inY = inYOrigin + dilationHeight * fy;
      if (inY < 0 || inY >= inputHeight) {
        continue;
      }
      for (int fx = 0; fx < filterWidth; fx++) {
        int inX = inXOrigin + dilationWidth * fx;
        if (inX < 0 || inX >= inputWidth) {
          continue;
        }
        int in =
            input[inputOffset + ((b * inputHeight + inY) * inputWidth + inX) * inputDepth + inC];
        int weight = filter[(fy * filterWidth + fx) * outputDepth + outC];
        acc += weight * (in + inputZeroOffset);
      }
    }
    return acc;
  }
}
