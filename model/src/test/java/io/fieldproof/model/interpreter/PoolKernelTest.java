package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Padding;
import io.fieldproof.model.tflite.RejectionReason;
import org.junit.jupiter.api.Test;

/** AVERAGE_POOL_2D and MAX_POOL_2D with 2x2 windows. */
class PoolKernelTest {

  private static TestModelBuilder pool(
      BuiltinOperator op, int side, Padding padding, int outSide, Activation activation) {
    return pool(op, side, padding, outSide, activation, 1f);
  }

  private static TestModelBuilder pool(
      BuiltinOperator op,
      int side,
      Padding padding,
      int outSide,
      Activation activation,
      float outScale) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, side, side, 1), 1f, 0);
    int out = b.int8("out", shape(1, outSide, outSide, 1), outScale, 0);
    return b.operator(op, TestModelBuilder.pool(padding, 1, 2, activation), ops(in), ops(out))
        .inputs(in)
        .outputs(out);
  }

  private static byte[] average(int... values) {
    return OneOperator.run(
        pool(BuiltinOperator.AVERAGE_POOL_2D, 2, Padding.VALID, 1, Activation.NONE), bytes(values));
  }

  @Test
  void averageRoundsHalvesAwayFromZero() {
    assertThat(average(1, 2, 3, 5)).containsExactly(3);
    assertThat(average(-1, -2, -3, -5)).containsExactly(-3);
    assertThat(average(1, 1, 1, 2)).containsExactly(1);
    assertThat(average(1, 1, 2, 2)).containsExactly(2);
    assertThat(average(-1, -1, -2, -2)).containsExactly(-2);
  }

  @Test
  void averageDividesByTheTapsInsideTheImage() {
    TestModelBuilder model =
        pool(BuiltinOperator.AVERAGE_POOL_2D, 3, Padding.SAME, 3, Activation.NONE);
    // edge windows hold 2 taps, the corner 1: 9/2 -> 5, 15/2 -> 8, 17/2 -> 9
    assertThat(OneOperator.run(model, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)))
        .containsExactly(3, 4, 5, 6, 7, 8, 8, 9, 9);
  }

  @Test
  void maxTakesTheLargestTapInsideTheImage() {
    TestModelBuilder model = pool(BuiltinOperator.MAX_POOL_2D, 3, Padding.SAME, 3, Activation.NONE);
    assertThat(OneOperator.run(model, bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)))
        .containsExactly(5, 6, 6, 8, 9, 9, 8, 9, 9);
  }

  @Test
  void maxAppliesTheFusedActivation() {
    TestModelBuilder model =
        pool(BuiltinOperator.MAX_POOL_2D, 2, Padding.VALID, 1, Activation.RELU);
    assertThat(OneOperator.run(model, bytes(-5, -6, -7, -8))).containsExactly(0);
  }

  @Test
  void refusesDifferentInputAndOutputScales() {
    TestModelBuilder model =
        pool(BuiltinOperator.AVERAGE_POOL_2D, 2, Padding.VALID, 1, Activation.NONE, 0.5f);
    assertThatThrownBy(() -> OneOperator.run(model, bytes(1, 2, 3, 4)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_QUANTIZATION));
  }
}
