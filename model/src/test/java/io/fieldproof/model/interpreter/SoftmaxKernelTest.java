package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.RejectionReason;
import org.junit.jupiter.api.Test;

/**
 * SOFTMAX int8: output q = round(p * 256) - 128. With input scale 1 and beta 1 the Q5.26 input
 * multiplier is 2^26 (left shift 27), so differences below -15 give -128.
 */
class SoftmaxKernelTest {

  private static TestModelBuilder softmax(int rows, int depth, float outScale) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(rows, depth), 1f, 0);
    int out = b.int8("out", shape(rows, depth), outScale, -128);
    return b.operator(BuiltinOperator.SOFTMAX, TestModelBuilder.softmax(1f), ops(in), ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void equalInputsShareTheProbability() {
    assertThat(OneOperator.run(softmax(1, 2, 1f / 256), bytes(5, 5))).containsExactly(0, 0);
    assertThat(OneOperator.run(softmax(1, 4, 1f / 256), bytes(-7, -7, -7, -7)))
        .containsExactly(-64, -64, -64, -64);
  }

  @Test
  void matchesTheRoundedProbabilities() {
    // p = 1 / (1 + e^-1) = 0.7311 -> 187.2 -> 59; 0.2689 -> 68.8 -> -59
    assertThat(OneOperator.run(softmax(1, 2, 1f / 256), bytes(0, -1))).containsExactly(59, -59);
  }

  @Test
  void differencesBelowTheRadiusGiveMinusOneHundredTwentyEight() {
    assertThat(OneOperator.run(softmax(1, 2, 1f / 256), bytes(100, 0))).containsExactly(127, -128);
  }

  @Test
  void eachRowIsNormalizedOnItsOwn() {
    assertThat(OneOperator.run(softmax(2, 2, 1f / 256), bytes(5, 5, 0, -1)))
        .containsExactly(0, 0, 59, -59);
  }

  @Test
  void refusesAnOutputScaleOtherThanOneOver256() {
    assertThatThrownBy(() -> OneOperator.run(softmax(1, 2, 1f / 255), bytes(5, 5)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_QUANTIZATION);
              assertThat(e.getMessage()).contains("SOFTMAX #0").contains("1/256");
            });
  }
}
