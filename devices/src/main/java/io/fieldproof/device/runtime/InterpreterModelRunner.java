package io.fieldproof.device.runtime;

import io.fieldproof.model.footprint.ChipProfile;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.interpreter.Int8Interpreter;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;

/**
 * Runs a quantized TFLite model with the project's int8 interpreter, as a device runs its active
 * slot: normalized inputs are quantized with the model's input scale and zero point, the model is
 * invoked, and the decision output is dequantized. Inference cycles are the model module's {@link
 * LatencyEstimate} for the chip, which the C firmware's runner estimates too.
 */
public final class InterpreterModelRunner implements ModelRunner {

  private final Int8Interpreter interpreter;
  private final Tensor input;
  private final byte[] quantized;
  private final float[] real;
  private final long cyclesPerInvoke;

  private InterpreterModelRunner(Int8Interpreter interpreter, long cyclesPerInvoke) {
    this.interpreter = interpreter;
    this.input = interpreter.inputTensor(0);
    this.quantized = new byte[input.shape().flatSize()];
    this.real = new float[input.shape().flatSize()];
    this.cyclesPerInvoke = cyclesPerInvoke;
  }

  /**
   * Loads a model file: it must be an int8 TFLite model of the supported operators. Its inferences
   * take the cycles {@code chip} estimates.
   *
   * @throws io.fieldproof.model.tflite.ModelRejectedException naming why it cannot run
   */
  public static InterpreterModelRunner load(byte[] tflite, ChipProfile chip) {
    TfliteModel model = TfliteModel.read(tflite);
    Int8Check.require(model);
    return new InterpreterModelRunner(
        Int8Interpreter.of(model), chip.cycles(Footprint.of(model).costs()));
  }

  @Override
  public int features() {
    return quantized.length;
  }

  @Override
  public double score(double[] normalized, int output) {
    if (input.type() == TensorType.INT8) {
      float scale = input.quantization().scale();
      int zeroPoint = input.quantization().zeroPoint();
      for (int i = 0; i < quantized.length; i++) {
        long q = Math.round(normalized[i] / scale) + zeroPoint;
        quantized[i] = (byte) Math.max(-128, Math.min(127, q));
      }
      interpreter.setInput(0, quantized);
    } else {
      for (int i = 0; i < real.length; i++) {
        real[i] = (float) normalized[i];
      }
      interpreter.setInput(0, real);
    }
    interpreter.invoke();
    return interpreter.outputFloat(0)[output];
  }

  /**
   * Runs the model on one raw int8 input vector, as a self-test does, and returns the raw int8 of
   * output 0.
   *
   * @throws IllegalArgumentException when the model's input is not int8 or the vector's length
   *     differs from the input's
   */
  public byte[] invokeRaw(byte[] int8Input) {
    if (input.type() != TensorType.INT8 || int8Input.length != quantized.length) {
      throw new IllegalArgumentException(
          "the model takes " + quantized.length + " " + input.type() + " values");
    }
    interpreter.setInput(0, int8Input);
    interpreter.invoke();
    return interpreter.output(0);
  }

  @Override
  public long lastCycles() {
    return cyclesPerInvoke;
  }
}
