package io.fieldproof.model.tflite;

import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptions;
import org.tensorflow.lite.schema.Conv2DOptions;
import org.tensorflow.lite.schema.DepthwiseConv2DOptions;
import org.tensorflow.lite.schema.FullyConnectedOptions;
import org.tensorflow.lite.schema.LeakyReluOptions;
import org.tensorflow.lite.schema.MulOptions;
import org.tensorflow.lite.schema.PackOptions;
import org.tensorflow.lite.schema.Pool2DOptions;
import org.tensorflow.lite.schema.ReducerOptions;
import org.tensorflow.lite.schema.ReshapeOptions;
import org.tensorflow.lite.schema.SoftmaxOptions;
import org.tensorflow.lite.schema.SplitOptions;
import org.tensorflow.lite.schema.StridedSliceOptions;
import org.tensorflow.lite.schema.SubOptions;
import org.tensorflow.lite.schema.UnpackOptions;

/**
 * Reads the builtin options union of one operator. An absent table reads as the schema defaults,
 * which the interpreter's prepare step then validates (a stride of 0 is refused there).
 */
final class OperatorOptionsReader {

  private OperatorOptionsReader() {}

  static OperatorOptions read(BuiltinOperator builtin, org.tensorflow.lite.schema.Operator op) {
    byte type = op.builtinOptionsType();
    return switch (builtin) {
      case CONV_2D ->
          conv(
              type == BuiltinOptions.Conv2DOptions
                  ? (Conv2DOptions) op.builtinOptions(new Conv2DOptions())
                  : null);
      case DEPTHWISE_CONV_2D ->
          depthwise(
              type == BuiltinOptions.DepthwiseConv2DOptions
                  ? (DepthwiseConv2DOptions) op.builtinOptions(new DepthwiseConv2DOptions())
                  : null);
      case AVERAGE_POOL_2D, MAX_POOL_2D ->
          pool(
              type == BuiltinOptions.Pool2DOptions
                  ? (Pool2DOptions) op.builtinOptions(new Pool2DOptions())
                  : null);
      case FULLY_CONNECTED ->
          fullyConnected(
              type == BuiltinOptions.FullyConnectedOptions
                  ? (FullyConnectedOptions) op.builtinOptions(new FullyConnectedOptions())
                  : null);
      case SOFTMAX ->
          softmax(
              type == BuiltinOptions.SoftmaxOptions
                  ? (SoftmaxOptions) op.builtinOptions(new SoftmaxOptions())
                  : null);
      case ADD ->
          add(
              type == BuiltinOptions.AddOptions
                  ? (AddOptions) op.builtinOptions(new AddOptions())
                  : null);
      case RESHAPE ->
          reshape(
              type == BuiltinOptions.ReshapeOptions
                  ? (ReshapeOptions) op.builtinOptions(new ReshapeOptions())
                  : null);
      case STRIDED_SLICE ->
          stridedSlice(
              type == BuiltinOptions.StridedSliceOptions
                  ? (StridedSliceOptions) op.builtinOptions(new StridedSliceOptions())
                  : null);
      case PACK ->
          pack(
              type == BuiltinOptions.PackOptions
                  ? (PackOptions) op.builtinOptions(new PackOptions())
                  : null);
      case CONCATENATION -> {
        ConcatenationOptions o =
            type == BuiltinOptions.ConcatenationOptions
                ? (ConcatenationOptions) op.builtinOptions(new ConcatenationOptions())
                : null;
        yield o == null
            ? new OperatorOptions.Concatenation(0, Activation.NONE)
            : new OperatorOptions.Concatenation(
                o.axis(), Activation.fromCode(o.fusedActivationFunction()));
      }
      case MUL -> {
        MulOptions o =
            type == BuiltinOptions.MulOptions
                ? (MulOptions) op.builtinOptions(new MulOptions())
                : null;
        yield new OperatorOptions.Mul(
            o == null ? Activation.NONE : Activation.fromCode(o.fusedActivationFunction()));
      }
      case SUB -> {
        SubOptions o =
            type == BuiltinOptions.SubOptions
                ? (SubOptions) op.builtinOptions(new SubOptions())
                : null;
        yield new OperatorOptions.Sub(
            o == null ? Activation.NONE : Activation.fromCode(o.fusedActivationFunction()));
      }
      case MEAN -> {
        ReducerOptions o =
            type == BuiltinOptions.ReducerOptions
                ? (ReducerOptions) op.builtinOptions(new ReducerOptions())
                : null;
        yield new OperatorOptions.Reducer(o != null && o.keepDims());
      }
      case LEAKY_RELU -> {
        LeakyReluOptions o =
            type == BuiltinOptions.LeakyReluOptions
                ? (LeakyReluOptions) op.builtinOptions(new LeakyReluOptions())
                : null;
        yield new OperatorOptions.LeakyRelu(o == null ? 0f : o.alpha());
      }
      case SPLIT -> {
        SplitOptions o =
            type == BuiltinOptions.SplitOptions
                ? (SplitOptions) op.builtinOptions(new SplitOptions())
                : null;
        yield new OperatorOptions.Split(o == null ? 0 : o.numSplits());
      }
      case UNPACK -> {
        UnpackOptions o =
            type == BuiltinOptions.UnpackOptions
                ? (UnpackOptions) op.builtinOptions(new UnpackOptions())
                : null;
        yield o == null
            ? new OperatorOptions.Unpack(0, 0)
            : new OperatorOptions.Unpack(o.num(), o.axis());
      }
      case DEQUANTIZE,
          LOGISTIC,
          QUANTIZE,
          SHAPE,
          RELU,
          RELU6,
          TANH,
          HARD_SWISH,
          PAD,
          TRANSPOSE,
          SQUEEZE,
          EXPAND_DIMS,
          MAXIMUM,
          MINIMUM ->
          new OperatorOptions.None();
    };
  }

  private static OperatorOptions conv(Conv2DOptions o) {
    if (o == null) {
      return new OperatorOptions.Conv2D(Padding.SAME, 0, 0, 1, 1, Activation.NONE);
    }
    return new OperatorOptions.Conv2D(
        Padding.fromCode(o.padding()),
        o.strideW(),
        o.strideH(),
        o.dilationWFactor(),
        o.dilationHFactor(),
        Activation.fromCode(o.fusedActivationFunction()));
  }

  private static OperatorOptions depthwise(DepthwiseConv2DOptions o) {
    if (o == null) {
      return new OperatorOptions.DepthwiseConv2D(Padding.SAME, 0, 0, 0, 1, 1, Activation.NONE);
    }
    return new OperatorOptions.DepthwiseConv2D(
        Padding.fromCode(o.padding()),
        o.strideW(),
        o.strideH(),
        o.depthMultiplier(),
        o.dilationWFactor(),
        o.dilationHFactor(),
        Activation.fromCode(o.fusedActivationFunction()));
  }

  private static OperatorOptions pool(Pool2DOptions o) {
    if (o == null) {
      return new OperatorOptions.Pool2D(Padding.SAME, 0, 0, 0, 0, Activation.NONE);
    }
    return new OperatorOptions.Pool2D(
        Padding.fromCode(o.padding()),
        o.strideW(),
        o.strideH(),
        o.filterWidth(),
        o.filterHeight(),
        Activation.fromCode(o.fusedActivationFunction()));
  }

  private static OperatorOptions fullyConnected(FullyConnectedOptions o) {
    if (o == null) {
      return new OperatorOptions.FullyConnected(Activation.NONE, false, 0);
    }
    return new OperatorOptions.FullyConnected(
        Activation.fromCode(o.fusedActivationFunction()), o.keepNumDims(), o.weightsFormat());
  }

  private static OperatorOptions softmax(SoftmaxOptions o) {
    return new OperatorOptions.Softmax(o == null ? 0f : o.beta());
  }

  private static OperatorOptions add(AddOptions o) {
    return new OperatorOptions.Add(
        o == null ? Activation.NONE : Activation.fromCode(o.fusedActivationFunction()));
  }

  private static OperatorOptions stridedSlice(StridedSliceOptions o) {
    if (o == null) {
      return new OperatorOptions.StridedSlice(0, 0, 0, 0, 0, false);
    }
    return new OperatorOptions.StridedSlice(
        o.beginMask(),
        o.endMask(),
        o.ellipsisMask(),
        o.newAxisMask(),
        o.shrinkAxisMask(),
        o.offset());
  }

  private static OperatorOptions pack(PackOptions o) {
    return o == null
        ? new OperatorOptions.Pack(0, 0)
        : new OperatorOptions.Pack(o.valuesCount(), o.axis());
  }

  private static OperatorOptions reshape(ReshapeOptions o) {
    if (o == null) {
      return new OperatorOptions.Reshape(new int[0]);
    }
    int length = o.newShapeLength();
    if (length < 0 || (long) length * 4 > o.getByteBuffer().capacity()) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT, "reshape options claim " + length + " dimensions");
    }
    int[] shape = new int[length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = o.newShape(i);
    }
    return new OperatorOptions.Reshape(shape);
  }
}
