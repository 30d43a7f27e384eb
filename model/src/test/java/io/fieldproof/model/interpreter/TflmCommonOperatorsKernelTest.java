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
import io.fieldproof.model.tflite.RejectionReason;
import io.fieldproof.model.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's operators on tiny hand-made tensors with hand-computed outputs, and the prepare-time
 * refusals that name the operator and the fix. Bit-exactness against tflite-micro is shown by the
 * fixtures and the corpus (GoldenVectorsTest, TflmCrossCheckTest, CorpusCrossCheckTest).
 */
class TflmCommonOperatorsKernelTest {

  private static TestModelBuilder concat(float scaleB, Activation activation) {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 2, 1), 0.5f, 1);
    int y = b.int8("y", shape(1, 2, 2), scaleB, 1);
    int out = b.int8("out", shape(1, 2, 3), 0.5f, 1);
    return b.operator(
            BuiltinOperator.CONCATENATION,
            TestModelBuilder.concatenation(-1, activation),
            ops(x, y),
            ops(out))
        .inputs(x, y)
        .outputs(out);
  }

  @Test
  void concatenationInterleavesAlongTheLastAxis() {
    assertThat(OneOperator.run(concat(0.5f, Activation.NONE), bytes(1, 2), bytes(3, 4, 5, 6)))
        .containsExactly(1, 3, 4, 2, 5, 6);
  }

  @Test
  void concatenationRefusesWhatTfliteMicroRefuses() {
    assertThatThrownBy(
            () -> Int8Interpreter.of(TfliteModel.read(concat(0.5f, Activation.RELU).build())))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH);
              assertThat(e.getMessage())
                  .contains("CONCATENATION #0")
                  .contains("fused RELU")
                  .contains("apply the activation as a layer");
            });
    assertThatThrownBy(
            () -> Int8Interpreter.of(TfliteModel.read(concat(0.25f, Activation.NONE).build())))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_QUANTIZATION);
              assertThat(e.getMessage()).contains("CONCATENATION #0").contains("input 1");
            });
  }

  @Test
  void mulScalesTheProductOfOffsetInputs() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 3), 0.5f, 0);
    int y = b.int8("y", shape(1), 0.5f, 1);
    int out = b.int8("out", shape(1, 3), 0.25f, -2);
    b.operator(BuiltinOperator.MUL, TestModelBuilder.mul(Activation.NONE), ops(x, y), ops(out))
        .inputs(x, y)
        .outputs(out);
    // (x * 0.5) * ((5 - 1) * 0.5) / 0.25 - 2 = 4x - 2, saturating
    assertThat(OneOperator.run(b, bytes(3, -1, 40), bytes(5))).containsExactly(10, -6, 127);
  }

  @Test
  void meanAveragesTheReducedAxesWithRounding() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 2, 2, 2), 1f, 0);
    int axes = b.constantInt32("axes", shape(2), new int[] {1, 2}, 0f);
    int out = b.int8("out", shape(1, 2), 1f, 0);
    b.operator(BuiltinOperator.MEAN, TestModelBuilder.reducer(false), ops(x, axes), ops(out))
        .inputs(x)
        .outputs(out);
    // channel 0: (1 + 2 + 3 + 5) / 4 = 2.75 -> 3; channel 1: (-1 - 2 - 2 - 1) / 4 = -1.5 -> -2
    assertThat(OneOperator.run(b, bytes(1, -1, 2, -2, 3, -2, 5, -1))).containsExactly(3, -2);
  }

  @Test
  void padFillsWithTheOutputZeroPoint() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 2), 1f, 3);
    int paddings = b.constantInt32("paddings", shape(2, 2), new int[] {0, 0, 1, 2}, 0f);
    int out = b.int8("out", shape(1, 5), 1f, 3);
    b.operator(BuiltinOperator.PAD, null, ops(x, paddings), ops(out)).inputs(x).outputs(out);
    assertThat(OneOperator.run(b, bytes(7, -7))).containsExactly(3, 7, -7, 3, 3);
  }

  @Test
  void transposeMovesDimensions() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 2, 3), 1f, 0);
    int perm = b.constantInt32("perm", shape(3), new int[] {0, 2, 1}, 0f);
    int out = b.int8("out", shape(1, 3, 2), 1f, 0);
    b.operator(BuiltinOperator.TRANSPOSE, null, ops(x, perm), ops(out)).inputs(x).outputs(out);
    assertThat(OneOperator.run(b, bytes(1, 2, 3, 4, 5, 6))).containsExactly(1, 4, 2, 5, 3, 6);
  }

  @Test
  void relu6ClampsRawValuesBetweenQuantizedZeroAndSix() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 4), 0.5f, -10);
    int out = b.int8("out", shape(1, 4), 0.5f, -10);
    b.operator(BuiltinOperator.RELU6, null, ops(x), ops(out)).inputs(x).outputs(out);
    // quantized 0 = -10, quantized 6 = 12 - 10 = 2
    assertThat(OneOperator.run(b, bytes(-128, -3, 2, 100))).containsExactly(-10, -3, 2, 2);
  }

  @Test
  void squeezeCopiesIntoTheOutputShape() {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 1, 3), 1f, 0);
    int out = b.int8("out", shape(1, 3), 1f, 0);
    b.operator(BuiltinOperator.SQUEEZE, null, ops(x), ops(out)).inputs(x).outputs(out);
    assertThat(OneOperator.run(b, bytes(4, -5, 6))).containsExactly(4, -5, 6);
  }

  private static TestModelBuilder mul(int[] shape2, Activation activation) {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(1, 3), 0.5f, 0);
    int y = b.int8("y", shape2, 0.5f, 0);
    int out = b.int8("out", shape(1, 3), 0.25f, 0);
    return b.operator(BuiltinOperator.MUL, TestModelBuilder.mul(activation), ops(x, y), ops(out))
        .inputs(x, y)
        .outputs(out);
  }

  @Test
  void mulRefusesShapesThatDoNotBroadcastAndFusedTanhSayingWhatToChange() {
    assertThatThrownBy(
            () -> Int8Interpreter.of(TfliteModel.read(mul(shape(2), Activation.NONE).build())))
        .isInstanceOf(ModelRejectedException.class)
        .hasMessageContaining("MUL #0")
        .hasMessageContaining("[2] does not broadcast to the output [1, 3]")
        .hasMessageContaining("reshape the operand");
    assertThatThrownBy(
            () -> Int8Interpreter.of(TfliteModel.read(mul(shape(1, 3), Activation.TANH).build())))
        .isInstanceOf(ModelRejectedException.class)
        .hasMessageContaining("MUL #0")
        .hasMessageContaining("fused TANH")
        .hasMessageContaining("apply it as a separate layer");
  }
}
