package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TfliteModel;

/**
 * An estimate of the arena's tail section, which TFLite Micro fills with persistent allocations and
 * which the greedy plan does not cover. The figures are structure sizes on a 32-bit microcontroller
 * (ESP32, Cortex-M), rounded up; they are an estimate, not a measurement:
 *
 * <ul>
 *   <li>{@value #FIXED_BYTES} bytes once: the allocators, the memory planner object, the subgraph
 *       allocation table and the interpreter's bookkeeping that live in the arena;
 *   <li>{@value #BYTES_PER_TENSOR} bytes per tensor: one {@code TfLiteEvalTensor} (data pointer,
 *       dims pointer, type);
 *   <li>{@value #BYTES_PER_OPERATOR} bytes per operator: {@code NodeAndRegistration} (a {@code
 *       TfLiteNode} and a registration pointer), the parsed builtin options and the kernel's op
 *       data (multipliers, shifts, offsets, padding);
 *   <li>8 bytes per output channel of CONV_2D, DEPTHWISE_CONV_2D and per-channel FULLY_CONNECTED:
 *       the int32 multiplier and shift arrays their prepare step allocates;
 *   <li>{@value #BYTES_PER_IO_TENSOR} bytes per model input and output: the persistent {@code
 *       TfLiteTensor} and its quantization structures the interpreter keeps for them.
 * </ul>
 */
public final class PersistentOverheadEstimate {

  /** Allocator, planner and interpreter bookkeeping in the arena. */
  public static final int FIXED_BYTES = 256;

  /** One {@code TfLiteEvalTensor} on a 32-bit target. */
  public static final int BYTES_PER_TENSOR = 12;

  /** Node, registration pointer, builtin options and op data of one operator. */
  public static final int BYTES_PER_OPERATOR = 128;

  /** Persistent {@code TfLiteTensor} plus quantization of one model input or output. */
  public static final int BYTES_PER_IO_TENSOR = 96;

  private static final int BYTES_PER_CHANNEL = 8;

  private PersistentOverheadEstimate() {}

  /** Estimated bytes of the tail section for {@code model}, aligned up to 16. */
  public static long estimate(TfliteModel model) {
    long bytes = FIXED_BYTES;
    bytes += (long) BYTES_PER_TENSOR * model.tensors().size();
    bytes += (long) BYTES_PER_IO_TENSOR * (model.inputs().length + model.outputs().length);
    for (Operator op : model.operators()) {
      bytes += BYTES_PER_OPERATOR + (long) BYTES_PER_CHANNEL * perChannelArrays(model, op);
    }
    return GreedyArenaPlanner.alignUp(bytes);
  }

  private static int perChannelArrays(TfliteModel model, Operator op) {
    BuiltinOperator builtin = op.builtin();
    if (builtin == BuiltinOperator.CONV_2D || builtin == BuiltinOperator.DEPTHWISE_CONV_2D) {
      return channels(model.tensor(op.output(0)));
    }
    if (builtin == BuiltinOperator.FULLY_CONNECTED
        && model.tensor(op.input(1)).quantization().isPerChannel()) {
      return model.tensor(op.input(1)).quantization().channelCount();
    }
    return 0;
  }

  private static int channels(Tensor output) {
    int rank = output.shape().rank();
    return rank == 0 ? 1 : output.shape().dim(rank - 1);
  }
}
