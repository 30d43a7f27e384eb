package io.fieldproof.agent.update;

import io.fieldproof.model.interpreter.Int8Interpreter;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import io.fieldproof.protocol.SelfTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the golden vectors through the gateway's own int8 interpreter (bit-exact with tflite-micro)
 * before anything is written: a model whose vectors do not match is refused without touching the
 * device. Devices without runtime v2 can not run the vectors themselves; for them this is the
 * self-test.
 */
final class HostSelfTest {

  private HostSelfTest() {}

  static void run(byte[] model, SelfTest selfTest) throws UpdateException {
    if (selfTest.vectors().isEmpty()) {
      return;
    }
    Int8Interpreter interpreter;
    try {
      interpreter = Int8Interpreter.of(TfliteModel.read(model));
    } catch (RuntimeException e) {
      throw new UpdateException(
          UpdateReason.ModelRejected, "the gateway cannot run the model: " + e.getMessage(), e);
    }
    for (int i = 0; i < selfTest.vectors().size(); i++) {
      SelfTest.Vector vector = selfTest.vectors().get(i);
      byte[] input = new byte[vector.input().size()];
      for (int j = 0; j < input.length; j++) {
        input[j] = vector.input().get(j).byteValue();
      }
      byte[] output = invoke(interpreter, input, i);
      List<Integer> actual = new ArrayList<>(output.length);
      for (byte value : output) {
        actual.add((int) value);
      }
      SelfTestJudge.judge(i, vector, actual, selfTest.tolerance());
    }
  }

  /** Runs one raw int8 input vector and returns the raw int8 of output 0. */
  private static byte[] invoke(Int8Interpreter interpreter, byte[] input, int vector)
      throws UpdateException {
    Tensor tensor = interpreter.inputTensor(0);
    int features = tensor.shape().flatSize();
    if (tensor.type() != TensorType.INT8 || input.length != features) {
      throw new UpdateException(
          UpdateReason.SelfTestMismatch,
          "vector " + vector + ": the model takes " + features + " " + tensor.type() + " values");
    }
    interpreter.setInput(0, input);
    interpreter.invoke();
    return interpreter.output(0);
  }
}
