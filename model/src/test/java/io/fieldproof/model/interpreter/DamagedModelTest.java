package io.fieldproof.model.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.fixtures.Fixtures;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Tensor;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomly damaged copies of a model using every kernel: reading, preparing and invoking either
 * work or fail with {@link ModelRejectedException}; no other exception (an index out of bounds in a
 * kernel, an arithmetic overflow, an out-of-memory) may escape.
 */
class DamagedModelTest {

  @Test
  void damageIsRejectedOrRunsCleanly() {
    assertThat(damageRounds(Int8InterpreterTest.everyKernel().build(), 5000, 20240601))
        .as("damaged models that still ran")
        .isPositive();
  }

  /**
   * The fixtures of issue 17's operators (CONCATENATION, MEAN, MUL, SUB, PAD, TANH, SPLIT, ...).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"concat_pad_mean.tflite", "activations_mix.tflite", "shape_ops.tflite"})
  void damagedFixturesAreRejectedOrRunCleanly(String fixture) {
    assertThat(damageRounds(Fixtures.model(fixture), 3000, fixture.hashCode()))
        .as("damaged models that still ran")
        .isPositive();
  }

  private static int damageRounds(byte[] original, int rounds, long seed) {
    Random random = new Random(seed);
    int invoked = 0;
    for (int round = 0; round < rounds; round++) {
      byte[] damaged = original.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        damaged[8 + random.nextInt(damaged.length - 8)] = (byte) random.nextInt(256);
      }
      Int8Interpreter interpreter;
      try {
        interpreter = Int8Interpreter.of(TfliteModel.read(damaged));
      } catch (ModelRejectedException rejected) {
        continue;
      }
      for (int i = 0; i < interpreter.inputCount(); i++) {
        Tensor input = interpreter.inputTensor(i);
        if (input.type() == TensorType.FLOAT32) {
          interpreter.setInput(i, new float[input.shape().flatSize()]);
        } else {
          interpreter.setInput(i, new byte[input.shape().flatSize()]);
        }
      }
      interpreter.invoke();
      invoked++;
    }
    return invoked;
  }
}
