package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import org.junit.jupiter.api.Test;

/** ADD int8: both inputs brought to 2 * max(scale) with a left shift of 20, summed, rescaled. */
class AddKernelTest {

  private static TestModelBuilder add(
      int[] shape1,
      float scale1,
      int zero1,
      int[] shape2,
      float scale2,
      int zero2,
      int[] outShape,
      int outZero,
      Activation activation) {
    TestModelBuilder b = new TestModelBuilder();
    int a = b.int8("a", shape1, scale1, zero1);
    int c = b.int8("b", shape2, scale2, zero2);
    int out = b.int8("out", outShape, 1f, outZero);
    return b.operator(BuiltinOperator.ADD, TestModelBuilder.add(activation), ops(a, c), ops(out))
        .inputs(a, c)
        .outputs(out);
  }

  @Test
  void addsWithZeroPointsAndSaturates() {
    TestModelBuilder model =
        add(shape(1, 2), 1f, 2, shape(1, 2), 1f, -1, shape(1, 2), 1, Activation.NONE);
    // (5 - 2) + (3 + 1) + 1 = 8; (-100 - 2) + (-100 + 1) + 1 = -200 -> -128
    assertThat(OneOperator.run(model, bytes(5, -100), bytes(3, -100))).containsExactly(8, -128);
  }

  @Test
  void mixesScalesThroughTheCommonScale() {
    TestModelBuilder model =
        add(shape(1, 1), 0.5f, 0, shape(1, 1), 1f, 0, shape(1, 1), 0, Activation.NONE);
    // 3 * 0.5 + 4 = 5.5 -> 6
    assertThat(OneOperator.run(model, bytes(3), bytes(4))).containsExactly(6);
  }

  @Test
  void broadcastsTrailingDimensions() {
    TestModelBuilder rows =
        add(shape(1, 2, 3), 1f, 0, shape(3), 1f, 0, shape(1, 2, 3), 0, Activation.NONE);
    assertThat(OneOperator.run(rows, bytes(1, 2, 3, 4, 5, 6), bytes(10, 20, 30)))
        .containsExactly(11, 22, 33, 14, 25, 36);
    TestModelBuilder columns =
        add(shape(1, 2, 3), 1f, 0, shape(2, 1), 1f, 0, shape(1, 2, 3), 0, Activation.NONE);
    assertThat(OneOperator.run(columns, bytes(1, 2, 3, 4, 5, 6), bytes(10, 20)))
        .containsExactly(11, 12, 13, 24, 25, 26);
  }

  @Test
  void fusedRelu6ClampsTheSum() {
    TestModelBuilder model =
        add(shape(1, 3), 1f, 0, shape(1, 3), 1f, 0, shape(1, 3), 0, Activation.RELU6);
    assertThat(OneOperator.run(model, bytes(-9, 2, 9), bytes(1, 2, 1))).containsExactly(0, 4, 6);
  }
}
