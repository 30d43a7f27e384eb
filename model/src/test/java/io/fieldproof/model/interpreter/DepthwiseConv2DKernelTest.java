package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Padding;
import org.junit.jupiter.api.Test;

/** DEPTHWISE_CONV_2D: channel c feeds outputs c * multiplier .. c * multiplier + multiplier - 1. */
class DepthwiseConv2DKernelTest {

  private static TestModelBuilder depthwise(float[] filterScales) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 1, 2, 2), 1f, 0);
    int w =
        b.constantInt8(
            "w",
            shape(1, 1, 1, 4),
            bytes(1, 2, 3, 4),
            filterScales,
            new long[filterScales.length],
            3);
    int out = b.int8("out", shape(1, 1, 2, 4), 1f, 0);
    return b.operator(
            BuiltinOperator.DEPTHWISE_CONV_2D,
            TestModelBuilder.depthwise(Padding.VALID, 1, 2, Activation.NONE),
            ops(in, w, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void depthMultiplierTwoMapsEachInputChannelToTwoOutputs() {
    // pixel (c0=1, c1=2) -> [1*1, 1*2, 2*3, 2*4]; pixel (3, 4) -> [3, 6, 12, 16]
    assertThat(OneOperator.run(depthwise(new float[] {1f}), bytes(1, 2, 3, 4)))
        .containsExactly(1, 2, 6, 8, 3, 6, 12, 16);
  }

  @Test
  void perChannelScalesAlongTheLastFilterDimension() {
    assertThat(OneOperator.run(depthwise(new float[] {1f, 1f, 0.5f, 0.5f}), bytes(1, 2, 3, 4)))
        .containsExactly(1, 2, 3, 4, 3, 6, 6, 8);
  }

  @Test
  void sumsTheWindowPerChannel() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2, 2, 1), 1f, 0);
    int w = b.constantInt8("w", shape(1, 2, 2, 1), bytes(1, 1, 1, -1), 1f, 0);
    int bias = b.constantInt32("bias", shape(1), new int[] {5}, 1f);
    int out = b.int8("out", shape(1, 1, 1, 1), 1f, 0);
    b.operator(
            BuiltinOperator.DEPTHWISE_CONV_2D,
            TestModelBuilder.depthwise(Padding.VALID, 1, 1, Activation.RELU),
            ops(in, w, bias),
            ops(out))
        .inputs(in)
        .outputs(out);
    assertThat(OneOperator.run(b, bytes(1, 2, 3, 4))).containsExactly(7);
    assertThat(OneOperator.run(b, bytes(-10, 2, 3, 4))).containsExactly(0);
  }
}
