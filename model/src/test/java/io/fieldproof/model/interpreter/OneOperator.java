package io.fieldproof.model.interpreter;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.TfliteModel;

/** Runs a model with int8 input(s) and one int8 output through the interpreter. */
final class OneOperator {

  private OneOperator() {}

  static byte[] run(TestModelBuilder model, byte[]... inputs) {
    Int8Interpreter interpreter = Int8Interpreter.of(TfliteModel.read(model.build()));
    for (int i = 0; i < inputs.length; i++) {
      interpreter.setInput(i, inputs[i]);
    }
    interpreter.invoke();
    return interpreter.output(0);
  }

  static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  static int[] shape(int... dims) {
    return dims;
  }

  static int[] ops(int... tensors) {
    return tensors;
  }
}
