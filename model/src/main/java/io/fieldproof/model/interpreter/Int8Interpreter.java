package io.fieldproof.model.interpreter;

import io.fieldproof.model.footprint.MacCounter;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import java.util.List;

/**
 * Runs an int8 TFLite model bit-exactly as TensorFlow Lite Micro's reference kernels do.
 *
 * <p>{@link #of(TfliteModel)} checks the model ({@link Int8Check}), plans its arena like TFLM,
 * allocates all tensor memory and prepares every kernel (multipliers, shifts, clamps, padding,
 * broadcast maps). {@link #invoke()} then runs the kernels in order and allocates nothing.
 *
 * <p>Typical use: {@code setInput(0, bytes)}, {@code invoke()}, {@code output(0)}. Inputs are kept
 * in staging arrays and copied into the arena at the start of each {@code invoke()}, so an input
 * set once stays valid for any number of invocations (on the device the arena reuses input bytes
 * once they are consumed). Outputs stay valid until the next {@code invoke()}. Not thread safe: one
 * interpreter per thread.
 */
public final class Int8Interpreter {

  private final TfliteModel model;
  private final TensorStorage storage;
  private final Kernel[] kernels;
  private final Tensor[] inputs;
  private final Tensor[] outputs;
  private final byte[][] stagedInt8Inputs;
  private final long macsPerInvoke;
  private long invocations;

  private Int8Interpreter(TfliteModel model) {
    Int8Check.require(model);
    this.model = model;
    this.storage = new TensorStorage(model);
    List<Operator> operators = model.operators();
    this.kernels = new Kernel[operators.size()];
    for (int i = 0; i < kernels.length; i++) {
      kernels[i] = KernelFactory.prepare(operators.get(i), storage);
    }
    this.inputs = model.inputTensors().toArray(Tensor[]::new);
    this.outputs = model.outputTensors().toArray(Tensor[]::new);
    this.stagedInt8Inputs = new byte[inputs.length][];
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i].type() == TensorType.INT8) {
        stagedInt8Inputs[i] = new byte[inputs[i].shape().flatSize()];
      }
    }
    long macs = 0;
    for (long m : MacCounter.perOperator(model)) {
      macs += m;
    }
    this.macsPerInvoke = macs;
  }

  /**
   * Builds an interpreter for {@code model}.
   *
   * @throws ModelRejectedException when the model is not int8 ({@link Int8Check}) or an operator
   *     cannot be prepared (inconsistent shapes, unusable quantization)
   */
  public static Int8Interpreter of(TfliteModel model) {
    return new Int8Interpreter(model);
  }

  /** The model this interpreter runs. */
  public TfliteModel model() {
    return model;
  }

  /** Number of model inputs. */
  public int inputCount() {
    return inputs.length;
  }

  /** Number of model outputs. */
  public int outputCount() {
    return outputs.length;
  }

  /** The tensor of input {@code index}. */
  public Tensor inputTensor(int index) {
    return inputs[index];
  }

  /** The tensor of output {@code index}. */
  public Tensor outputTensor(int index) {
    return outputs[index];
  }

  /**
   * Sets int8 input {@code index}.
   *
   * @throws IllegalArgumentException when the input is not int8 or the length differs
   */
  public void setInput(int index, byte[] values) {
    byte[] staged = stagedInt8Inputs[index];
    if (staged == null) {
      throw new IllegalArgumentException(
          "input " + index + " is " + inputs[index].type() + ", not INT8");
    }
    requireLength(index, values.length, staged.length);
    System.arraycopy(values, 0, staged, 0, staged.length);
  }

  /**
   * Sets input {@code index} from real values: stored as is for a float32 input, quantized with the
   * input's scale and zero point (as TFLite's QUANTIZE does) for an int8 input.
   *
   * @throws IllegalArgumentException when the length differs
   */
  public void setInput(int index, float[] values) {
    Tensor tensor = inputs[index];
    if (tensor.type() == TensorType.FLOAT32) {
      float[] target = storage.float32Tensor(tensor.index());
      requireLength(index, values.length, target.length);
      System.arraycopy(values, 0, target, 0, target.length);
      return;
    }
    byte[] staged = stagedInt8Inputs[index];
    requireLength(index, values.length, staged.length);
    float scale = tensor.quantization().scale();
    int zeroPoint = tensor.quantization().zeroPoint();
    for (int i = 0; i < staged.length; i++) {
      staged[i] = QuantizeKernel.quantize(values[i], scale, zeroPoint);
    }
  }

  /** Runs the model once on the inputs set. Allocates nothing. */
  public void invoke() {
    for (int i = 0; i < inputs.length; i++) {
      byte[] staged = stagedInt8Inputs[i];
      if (staged != null) {
        Int8Operand target = storage.int8Tensor(inputs[i].index());
        System.arraycopy(staged, 0, target.data(), target.offset(), staged.length);
      }
    }
    for (Kernel kernel : kernels) {
      kernel.run();
    }
    invocations++;
  }

  /**
   * A copy of int8 output {@code index}.
   *
   * @throws IllegalStateException when the output is not int8
   */
  public byte[] output(int index) {
    Tensor tensor = outputs[index];
    if (tensor.type() != TensorType.INT8) {
      throw new IllegalStateException("output " + index + " is " + tensor.type() + ", not INT8");
    }
    Int8Operand operand = storage.int8Tensor(tensor.index());
    byte[] copy = new byte[operand.size()];
    System.arraycopy(operand.data(), operand.offset(), copy, 0, copy.length);
    return copy;
  }

  /**
   * Output {@code index} as real values: a copy of a float32 output, or an int8 output dequantized
   * with its scale and zero point (as TFLite's DEQUANTIZE does).
   */
  public float[] outputFloat(int index) {
    Tensor tensor = outputs[index];
    if (tensor.type() == TensorType.FLOAT32) {
      return storage.float32Tensor(tensor.index()).clone();
    }
    byte[] quantized = output(index);
    double scale = tensor.quantization().scale();
    int zeroPoint = tensor.quantization().zeroPoint();
    float[] values = new float[quantized.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = DequantizeKernel.dequantize(quantized[i], scale, zeroPoint);
    }
    return values;
  }

  /** Operators each {@link #invoke()} runs. */
  public int operatorsPerInvoke() {
    return kernels.length;
  }

  /** Multiply-accumulates each {@link #invoke()} performs ({@link MacCounter}). */
  public long macsPerInvoke() {
    return macsPerInvoke;
  }

  /** How many times {@link #invoke()} has completed. */
  public long invocationCount() {
    return invocations;
  }

  /** Bytes of the planned tensor arena this interpreter holds, as TFLite Micro plans it. */
  public int arenaBytes() {
    return storage.arenaBytes();
  }

  private void requireLength(int index, int given, int expected) {
    if (given != expected) {
      throw new IllegalArgumentException(
          "input " + index + " needs " + expected + " values, got " + given);
    }
  }
}
