package io.fieldproof.model.interpreter;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.TensorType;

/** Prepares the kernel of one operator: validates it and computes its parameters once. */
final class KernelFactory {

  private KernelFactory() {}

  static Kernel prepare(Operator op, TensorStorage storage) {
    return switch (op.builtin()) {
      case ADD -> new AddKernel(op, storage);
      case AVERAGE_POOL_2D -> new AveragePool2DKernel(op, storage);
      case CONV_2D -> new Conv2DKernel(op, storage);
      case DEPTHWISE_CONV_2D -> new DepthwiseConv2DKernel(op, storage);
      case DEQUANTIZE -> new DequantizeKernel(op, storage);
      case FULLY_CONNECTED -> new FullyConnectedKernel(op, storage);
      case LOGISTIC -> new LogisticKernel(op, storage);
      case MAX_POOL_2D -> new MaxPool2DKernel(op, storage);
      case RESHAPE -> new ReshapeKernel(op, storage);
      case SOFTMAX -> new SoftmaxKernel(op, storage);
      case SHAPE -> new ShapeKernel(op, storage);
      case STRIDED_SLICE -> new StridedSliceKernel(op, storage);
      case PACK -> new PackKernel(op, storage);
      case CONCATENATION -> new ConcatenationKernel(op, storage);
      case MEAN -> new MeanKernel(op, storage);
      case MUL -> new MulKernel(op, storage);
      case SUB -> new SubKernel(op, storage);
      case PAD -> new PadKernel(op, storage);
      case RELU -> new ReluKernel(op, storage);
      case RELU6 -> new Relu6Kernel(op, storage);
      case LEAKY_RELU -> new LeakyReluKernel(op, storage);
      case MAXIMUM, MINIMUM -> new MaximumMinimumKernel(op, storage);
      case SQUEEZE, EXPAND_DIMS -> new ReshapeKernel(op, storage);
      case TRANSPOSE -> new TransposeKernel(op, storage);
      case SPLIT, UNPACK -> new SplitKernel(op, storage);
      case TANH -> new TanhKernel(op, storage);
      case HARD_SWISH -> new HardSwishKernel(op, storage);
      case QUANTIZE ->
          storage.type(op.input(0)) == TensorType.FLOAT32
              ? new QuantizeKernel(op, storage)
              : new RequantizeKernel(op, storage);
    };
  }
}
