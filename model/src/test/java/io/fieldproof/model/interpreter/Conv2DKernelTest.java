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

/** CONV_2D on the 3x3 image 1..9 with 2x2 filters of ones. */
class Conv2DKernelTest {

  private static final byte[] IMAGE = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9);

  private static TestModelBuilder conv(
      Padding padding, int stride, int dilation, int inZero, int outH, int outW) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 3, 3, 1), 1f, inZero);
    int w = b.constantInt8("w", shape(1, 2, 2, 1), bytes(1, 1, 1, 1), 1f, 0);
    int out = b.int8("out", shape(1, outH, outW, 1), 1f, 0);
    return b.operator(
            BuiltinOperator.CONV_2D,
            TestModelBuilder.conv(padding, stride, dilation, Activation.NONE),
            ops(in, w, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void validPaddingSumsEveryFullWindow() {
    assertThat(OneOperator.run(conv(Padding.VALID, 1, 1, 0, 2, 2), IMAGE))
        .containsExactly(12, 16, 24, 28);
  }

  @Test
  void samePaddingPutsTheOddPaddingAtTheEndAndSkipsOutsideTaps() {
    assertThat(OneOperator.run(conv(Padding.SAME, 1, 1, 0, 3, 3), IMAGE))
        .containsExactly(12, 16, 9, 24, 28, 15, 15, 17, 9);
  }

  @Test
  void paddingContributesNothingWhateverTheInputZeroPoint() {
    byte[] shifted = bytes(3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(OneOperator.run(conv(Padding.SAME, 1, 1, 2, 3, 3), shifted))
        .containsExactly(12, 16, 9, 24, 28, 15, 15, 17, 9);
  }

  @Test
  void strideTwoWithSamePadding() {
    assertThat(OneOperator.run(conv(Padding.SAME, 2, 1, 0, 2, 2), IMAGE))
        .containsExactly(12, 9, 15, 9);
  }

  @Test
  void dilationSpreadsTheTaps() {
    // taps at (0,0), (0,2), (2,0), (2,2): 1 + 3 + 7 + 9
    assertThat(OneOperator.run(conv(Padding.VALID, 1, 2, 0, 1, 1), IMAGE)).containsExactly(20);
  }

  @Test
  void perChannelScalesAndBiasPerOutputChannel() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 3, 3, 1), 1f, 0);
    int w =
        b.constantInt8(
            "w",
            shape(2, 2, 2, 1),
            bytes(1, 1, 1, 1, 1, 1, 1, 1),
            new float[] {1f, 0.5f},
            new long[] {0, 0},
            0);
    int bias = b.constantInt32("bias", shape(2), new int[] {1, 2}, 1f);
    int out = b.int8("out", shape(1, 2, 2, 2), 1f, 0);
    b.operator(
            BuiltinOperator.CONV_2D,
            TestModelBuilder.conv(Padding.VALID, 1, 1, Activation.NONE),
            ops(in, w, bias),
            ops(out))
        .inputs(in)
        .outputs(out);
    // channel 0: window sums + 1; channel 1: (window sums + 2) * 0.5
    assertThat(OneOperator.run(b, IMAGE)).containsExactly(13, 7, 17, 9, 25, 13, 29, 15);
  }

  @Test
  void refusesAZeroStride() {
    assertThatThrownBy(() -> OneOperator.run(conv(Padding.VALID, 0, 1, 0, 2, 2), IMAGE))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH));
  }

  @Test
  void refusesAnOutputShapeTheGeometryDoesNotGive() {
    assertThatThrownBy(() -> OneOperator.run(conv(Padding.VALID, 1, 1, 0, 3, 3), IMAGE))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH);
              assertThat(e.getMessage()).contains("CONV_2D #0").contains("[1, 2, 2, 1]");
            });
  }
}
