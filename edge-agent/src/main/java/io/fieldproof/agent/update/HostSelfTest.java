package io.fieldproof.agent.update;

import io.fieldproof.agent.runtime.InterpreterModelRunner;
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
    InterpreterModelRunner runner;
    try {
      runner = InterpreterModelRunner.load(model, 1.0);
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
      byte[] output;
      try {
        output = runner.invokeRaw(input);
      } catch (IllegalArgumentException e) {
        throw new UpdateException(
            UpdateReason.SelfTestMismatch, "vector " + i + ": " + e.getMessage(), e);
      }
      List<Integer> actual = new ArrayList<>(output.length);
      for (byte value : output) {
        actual.add((int) value);
      }
      SelfTestJudge.judge(i, vector, actual, selfTest.tolerance());
    }
  }
}
