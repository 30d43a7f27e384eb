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
import org.junit.jupiter.api.Test;

/** FULLY_CONNECTED on a 2x2 filter [[1, 2], [3, -1]] with bias [1, -2]. */
class FullyConnectedKernelTest {

  private static TestModelBuilder dense(
      int batches, int inZero, float outScale, int outZero, Activation activation) {
    return dense(batches, inZero, new float[] {1f}, outScale, outZero, activation, 1f);
  }

  private static TestModelBuilder dense(
      int batches,
      int inZero,
      float[] filterScales,
      float outScale,
      int outZero,
      Activation activation,
      float biasScale) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(batches, 2), 1f, inZero);
    int w =
        b.constantInt8(
            "w", shape(2, 2), bytes(1, 2, 3, -1), filterScales, new long[filterScales.length], 0);
    int bias = b.constantInt32("bias", shape(2), new int[] {1, -2}, biasScale);
    int out = b.int8("out", shape(batches, 2), outScale, outZero);
    return b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(activation),
            ops(in, w, bias),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void accumulatesWeightsTimesInputsPlusBias() {
    // [1*3 + 2*4 + 1, 3*3 - 4 - 2]
    assertThat(OneOperator.run(dense(1, 0, 1f, 0, Activation.NONE), bytes(3, 4)))
        .containsExactly(12, 3);
  }

  @Test
  void subtractsTheInputZeroPointAndAddsTheOutputZeroPoint() {
    assertThat(OneOperator.run(dense(1, 1, 1f, 5, Activation.NONE), bytes(4, 5)))
        .containsExactly(17, 8);
  }

  @Test
  void rescalesWithTheDoubleRoundingOfTflite() {
    // multiplier 0.5: 12 -> 6, 3 -> 1.5 -> 2, -10 -> -5, -7 -> -3.5 -> -3 (SRDHM tie of a negative)
    assertThat(OneOperator.run(dense(1, 0, 2f, 0, Activation.NONE), bytes(3, 4)))
        .containsExactly(6, 2);
    assertThat(OneOperator.run(dense(1, 0, 2f, 0, Activation.NONE), bytes(-3, -4)))
        .containsExactly(-5, -3);
  }

  @Test
  void saturatesToInt8() {
    assertThat(OneOperator.run(dense(1, 0, 1f, 0, Activation.NONE), bytes(100, 100)))
        .containsExactly(127, 127);
  }

  @Test
  void fusedReluClampsAtTheQuantizedZero() {
    assertThat(OneOperator.run(dense(1, 0, 1f, 3, Activation.RELU), bytes(-3, -4)))
        .containsExactly(3, 3);
  }

  @Test
  void fusedRelu6ClampsAtTheQuantizedSix() {
    // output scale 0.5: multiplier 2, 12 -> 24 clamped to round(6 / 0.5) = 12; 3 -> 6
    assertThat(OneOperator.run(dense(1, 0, 0.5f, 0, Activation.RELU6), bytes(3, 4)))
        .containsExactly(12, 6);
  }

  @Test
  void runsEveryBatchRow() {
    assertThat(OneOperator.run(dense(2, 0, 1f, 0, Activation.NONE), bytes(3, 4, 1, 0)))
        .containsExactly(12, 3, 2, 1);
  }

  @Test
  void perChannelFilterScalesEachOutput() {
    TestModelBuilder model = dense(1, 0, new float[] {1f, 0.5f}, 1f, 0, Activation.NONE, 1f);
    // channel 1: 3 * 0.5 = 1.5 -> 2
    assertThat(OneOperator.run(model, bytes(3, 4))).containsExactly(12, 2);
  }

  @Test
  void refusesABiasScaleFarFromInputTimesFilterScale() {
    TestModelBuilder model = dense(1, 0, new float[] {1f}, 1f, 0, Activation.NONE, 2f);
    assertThatThrownBy(() -> OneOperator.run(model, bytes(3, 4)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_QUANTIZATION));
  }

  @Test
  void refusesAFusedTanh() {
    assertThatThrownBy(() -> OneOperator.run(dense(1, 0, 1f, 0, Activation.TANH), bytes(3, 4)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH));
  }
}
