package io.fieldproof.model.tflite;

import java.util.Optional;

/**
 * The builtin operators this project reads, checks and runs, with their schema codes. Any other
 * operator makes a model unsupported.
 */
public enum BuiltinOperator {
  /** Element-wise addition with broadcasting. */
  ADD(0),
  /** Average pooling over a 2-D window. */
  AVERAGE_POOL_2D(1),
  /** Joins tensors of one quantization along an axis. */
  CONCATENATION(2),
  /** 2-D convolution. */
  CONV_2D(3),
  /** Depthwise 2-D convolution. */
  DEPTHWISE_CONV_2D(4),
  /** Quantized to float conversion. */
  DEQUANTIZE(6),
  /** Dense layer. */
  FULLY_CONNECTED(9),
  /** Sigmoid. */
  LOGISTIC(14),
  /** Max pooling over a 2-D window. */
  MAX_POOL_2D(17),
  /** Element-wise multiplication with broadcasting. */
  MUL(18),
  /** max(x, 0). */
  RELU(19),
  /** min(max(x, 0), 6). */
  RELU6(21),
  /** Shape change without data change. */
  RESHAPE(22),
  /** Softmax over the last dimension. */
  SOFTMAX(25),
  /** Hyperbolic tangent. */
  TANH(28),
  /** Constant padding (with the zero point) before and after each dimension. */
  PAD(34),
  /** Permutes the dimensions. */
  TRANSPOSE(39),
  /** Mean over constant axes. */
  MEAN(40),
  /** Element-wise subtraction with broadcasting. */
  SUB(41),
  /** Drops dimensions of size 1. */
  SQUEEZE(43),
  /** A slice with begin, end and stride per dimension (constant), optionally dropping axes. */
  STRIDED_SLICE(45),
  /** Splits a tensor into equal parts along a constant axis. */
  SPLIT(49),
  /** Element-wise maximum with broadcasting. */
  MAXIMUM(55),
  /** Element-wise minimum with broadcasting. */
  MINIMUM(57),
  /** Inserts a dimension of size 1. */
  EXPAND_DIMS(70),
  /** The input's shape as an int32 vector. */
  SHAPE(77),
  /** Stacks N equally shaped tensors along a new axis. */
  PACK(83),
  /** Splits a tensor into its slices along an axis, dropping the axis. */
  UNPACK(88),
  /** x for x &gt;= 0, alpha * x below. */
  LEAKY_RELU(98),
  /** Float to quantized conversion, or requantization. */
  QUANTIZE(114),
  /** x * relu6(x + 3) / 6. */
  HARD_SWISH(117);

  private final int code;

  BuiltinOperator(int code) {
    this.code = code;
  }

  /** The schema code ({@code BuiltinOperator} in schema.fbs). */
  public int code() {
    return code;
  }

  /** The supported operator with schema code {@code code}, if it is one. */
  public static Optional<BuiltinOperator> fromCode(int code) {
    for (BuiltinOperator op : values()) {
      if (op.code == code) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /**
   * The schema name of any builtin code, for messages: {@code CONV_2D}, {@code LSTM}, or {@code
   * BUILTIN_<code>} for codes newer than the bundled schema.
   */
  public static String schemaName(int code) {
    try {
      return org.tensorflow.lite.schema.BuiltinOperator.name(code);
    } catch (ArrayIndexOutOfBoundsException unknown) {
      return "BUILTIN_" + code;
    }
  }
}
