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
 * LOGISTIC int8 with input scale 1/16: the Q4.27 multiplier is 2^30 with left shift 24, the input
 * radius floor(15 * 2^27 / 2^24) = 120; output q = round(sigmoid * 256) - 128.
 */
class LogisticKernelTest {

  private static TestModelBuilder logistic(int outZero) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 7), 1f / 16, 0);
    int out = b.int8("out", shape(1, 7), 1f / 256, outZero);
    return b.operator(BuiltinOperator.LOGISTIC, null, ops(in), ops(out)).inputs(in).outputs(out);
  }

  @Test
  void matchesTheRoundedSigmoidInsideTheRadiusAndSaturatesOutside() {
    // 0 -> 0.5 -> 0; 16 (1.0) -> 0.7311 -> 187 -> 59; 119 -> 0.99941 * 256 = 255.85 -> 127
    assertThat(OneOperator.run(logistic(-128), bytes(0, 16, -16, 119, 120, -120, -128)))
        .containsExactly(0, 59, -59, 127, 127, -128, -128);
  }

  @Test
  void refusesAnOutputZeroPointOtherThanMinus128() {
    assertThatThrownBy(() -> OneOperator.run(logistic(0), bytes(0, 0, 0, 0, 0, 0, 0)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_QUANTIZATION));
  }
}
