package io.fieldproof.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import org.junit.jupiter.api.Test;

/** Int8 classification of hand-built graphs. */
class Int8CheckTest {

  private static int[] shape(int... dims) {
    return dims;
  }

  private static int[] ops(int... tensors) {
    return tensors;
  }

  private static void assertRejected(TfliteModel model, RejectionReason reason, String part) {
    assertThatThrownBy(() -> Int8Check.require(model))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(part);
            });
  }

  @Test
  void anInt8DenseModelPasses() {
    QuantizationReport report =
        Int8Check.require(TfliteModel.read(TfliteModelReaderTest.dense().build()));
    assertThat(report.scheme()).isEqualTo(QuantizationScheme.INT8);
    assertThat(report.floatInterface()).isFalse();
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void int8ThenFloatIsMixed() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2), 1f, 0);
    int w = b.constantInt8("w", shape(2, 2), new byte[] {1, 2, 3, 4}, 1f, 0);
    int mid = b.int8("mid", shape(1, 2), 1f, 0);
    int real = b.float32("real", shape(1, 2));
    int wf = b.constantFloat32("wf", shape(1, 2), new float[] {1f, 2f});
    int out = b.float32("out", shape(1, 1));
    b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(in, w, -1),
            ops(mid))
        .operator(BuiltinOperator.DEQUANTIZE, null, ops(mid), ops(real))
        .operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(real, wf, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
    TfliteModel model = TfliteModel.read(b.build());
    QuantizationReport report = Int8Check.inspect(model);
    assertThat(report.scheme()).isEqualTo(QuantizationScheme.MIXED);
    assertThat(report.floatInterface()).isTrue();
    assertThat(report.findings())
        .containsExactly(
            "FULLY_CONNECTED #2 input 0 (real) is FLOAT32, expected INT8",
            "FULLY_CONNECTED #2 input 1 (wf) is FLOAT32, expected INT8",
            "FULLY_CONNECTED #2 output 0 (out) is FLOAT32, expected INT8");
    assertRejected(model, RejectionReason.MIXED_PRECISION, "FULLY_CONNECTED #2 input 0 (real)");
  }

  @Test
  void int8TensorsNeedQuantizationParameters() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 4), 0f, 0);
    int out = b.int8("out", shape(2, 2), 1f, 0);
    b.operator(BuiltinOperator.RESHAPE, null, ops(in), ops(out)).inputs(in).outputs(out);
    assertRejected(
        TfliteModel.read(b.build()),
        RejectionReason.INVALID_QUANTIZATION,
        "int8 tensor 0 (in) has no quantization parameters");
  }

  @Test
  void zeroPointsMustBeInt8() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 4), 1f, 200);
    int out = b.int8("out", shape(2, 2), 1f, 0);
    b.operator(BuiltinOperator.RESHAPE, null, ops(in), ops(out)).inputs(in).outputs(out);
    assertRejected(
        TfliteModel.read(b.build()), RejectionReason.INVALID_QUANTIZATION, "zero point 200");
  }

  @Test
  void perChannelScalesMustMatchTheQuantizedDimension() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2), 1f, 0);
    int w =
        b.constantInt8(
            "w", shape(2, 2), new byte[] {1, 2, 3, 4}, new float[] {1f, 1f, 1f}, new long[3], 0);
    int out = b.int8("out", shape(1, 2), 1f, 0);
    b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(in, w, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
    assertRejected(
        TfliteModel.read(b.build()), RejectionReason.INVALID_QUANTIZATION, "3 per-channel scales");
  }

  @Test
  void operandCountsAreCheckedWhenReading() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2), 1f, 0);
    int out = b.int8("out", shape(1, 2), 1f, 0);
    b.operator(BuiltinOperator.ADD, TestModelBuilder.add(Activation.NONE), ops(in), ops(out))
        .inputs(in)
        .outputs(out);
    assertThatThrownBy(() -> TfliteModel.read(b.build()))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH);
              assertThat(e.getMessage()).contains("ADD #0 has 1 inputs");
            });
  }
}
