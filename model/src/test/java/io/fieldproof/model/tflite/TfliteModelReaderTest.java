package io.fieldproof.model.tflite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What {@link TfliteModel#read} refuses, and why, on crafted bytes. */
class TfliteModelReaderTest {

  private static int[] shape(int... dims) {
    return dims;
  }

  private static int[] ops(int... tensors) {
    return tensors;
  }

  /** A valid int8 dense model: [1, 2] -> FULLY_CONNECTED(RELU) -> [1, 3]. */
  static TestModelBuilder dense() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("input", shape(1, 2), 0.5f, -1);
    int w = b.constantInt8("weights", shape(3, 2), new byte[] {1, 2, 3, 4, 5, 6}, 0.25f, 0);
    int bias = b.constantInt32("bias", shape(3), new int[] {7, 8, 9}, 0.125f);
    int out = b.int8("output", shape(1, 3), 1f, 4);
    return b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.RELU),
            ops(in, w, bias),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  private static void assertRejected(
      ThrowingCallable read, RejectionReason reason, String... messageParts) {
    assertThatThrownBy(read)
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              if (messageParts.length > 0) {
                assertThat(e.getMessage()).contains(messageParts);
              }
            });
  }

  @Test
  void readsAValidModel() {
    byte[] bytes = dense().build();
    TfliteModel model = TfliteModel.read(bytes);
    assertThat(model.format()).isEqualTo("TFL3");
    assertThat(model.schemaVersion()).isEqualTo(3);
    assertThat(model.sizeBytes()).isEqualTo(bytes.length);
    assertThat(model.description()).isEqualTo("test model");
    assertThat(model.tensors()).hasSize(4);
    Tensor weights = model.tensor(1);
    assertThat(weights.name()).isEqualTo("weights");
    assertThat(weights.type()).isEqualTo(TensorType.INT8);
    assertThat(weights.shape()).isEqualTo(Shape.of(3, 2));
    assertThat(weights.data())
        .hasValueSatisfying(d -> assertThat(d.asInt8()).containsExactly(1, 2, 3, 4, 5, 6));
    assertThat(model.tensor(2).data())
        .hasValueSatisfying(d -> assertThat(d.asInt32()).containsExactly(7, 8, 9));
    assertThat(model.tensor(0).quantization()).isEqualTo(Quantization.perTensor(0.5f, -1));
    assertThat(model.tensor(0).isConstant()).isFalse();
    Operator op = model.operators().get(0);
    assertThat(op.builtin()).isEqualTo(BuiltinOperator.FULLY_CONNECTED);
    assertThat(op.inputs()).containsExactly(0, 1, 2);
    assertThat(op.outputs()).containsExactly(3);
    assertThat(op.options())
        .isEqualTo(new OperatorOptions.FullyConnected(Activation.RELU, false, 0));
    assertThat(model.inputTensors()).extracting(Tensor::name).containsExactly("input");
    assertThat(model.outputTensors()).extracting(Tensor::name).containsExactly("output");
    assertThat(model.offlinePlannedOffsets()).isEmpty();
  }

  @Test
  void refusesEmptyAndTooShortFiles() {
    assertRejected(() -> TfliteModel.read(new byte[0]), RejectionReason.NOT_TFLITE, "empty");
    assertRejected(() -> TfliteModel.read(null), RejectionReason.NOT_TFLITE, "empty");
    assertRejected(
        () -> TfliteModel.read("TFL3".getBytes(StandardCharsets.US_ASCII)),
        RejectionReason.NOT_TFLITE,
        "4 bytes");
  }

  @Test
  void refusesAWrongFileIdentifier() {
    byte[] bytes = dense().build();
    bytes[7] = '2';
    assertRejected(() -> TfliteModel.read(bytes), RejectionReason.NOT_TFLITE, "\"TFL2\"", "TFL3");
    byte[] text = "not a model, just some text".getBytes(StandardCharsets.US_ASCII);
    assertRejected(() -> TfliteModel.read(text), RejectionReason.NOT_TFLITE, "file identifier");
    byte[] binary = {0, 1, 2, 3, (byte) 0xff, 0, 0x1b, 'x', 9};
    assertRejected(() -> TfliteModel.read(binary), RejectionReason.NOT_TFLITE, "\\xff");
  }

  @Test
  void refusesATruncatedFileAsCorrupt() {
    byte[] bytes = dense().build();
    assertRejected(
        () -> TfliteModel.read(Arrays.copyOf(bytes, bytes.length / 2)),
        RejectionReason.CORRUPT,
        "truncated or corrupt");
    assertRejected(() -> TfliteModel.read(Arrays.copyOf(bytes, 12)), RejectionReason.CORRUPT);
  }

  @Test
  void everyTruncationIsEitherReadOrRejectedAsCorrupt() {
    byte[] bytes = dense().build();
    for (int length = 8; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      try {
        TfliteModel.read(prefix);
      } catch (ModelRejectedException e) {
        assertThat(e.reason()).as("prefix of %d bytes", length).isEqualTo(RejectionReason.CORRUPT);
      }
    }
  }

  @Test
  void randomByteDamageNeverEscapesAsAnotherException() {
    byte[] original = dense().build();
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      byte[] damaged = original.clone();
      for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
        int at = 8 + random.nextInt(damaged.length - 8);
        damaged[at] = (byte) random.nextInt(256);
      }
      try {
        TfliteModel.read(damaged);
      } catch (ModelRejectedException expected) {
        assertThat(expected.reason()).isNotNull();
      }
    }
  }

  @Test
  void refusesARootOffsetOutsideTheFile() {
    byte[] bytes = dense().build();
    bytes[0] = (byte) 0xf0;
    bytes[1] = (byte) 0xff;
    bytes[2] = (byte) 0xff;
    bytes[3] = (byte) 0x0f;
    assertRejected(() -> TfliteModel.read(bytes), RejectionReason.CORRUPT);
  }

  @Test
  void refusesOtherSchemaVersions() {
    assertRejected(
        () -> TfliteModel.read(dense().version(2).build()),
        RejectionReason.UNSUPPORTED_SCHEMA_VERSION,
        "schema version 2");
  }

  @Test
  void refusesAnythingButOneSubgraph() {
    assertRejected(
        () -> TfliteModel.read(dense().subgraphCopies(2).build()),
        RejectionReason.SUBGRAPH_COUNT,
        "2 subgraphs");
    assertRejected(
        () -> TfliteModel.read(dense().subgraphCopies(0).build()),
        RejectionReason.SUBGRAPH_COUNT,
        "0 subgraphs");
  }

  @Test
  void refusesUnsupportedOperatorsNamingThem() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 4), 1f, 0);
    int axis = b.constantInt32("axis", shape(1), new int[] {1}, 0f);
    int mean = b.int8("mean", shape(1, 1), 1f, 0);
    int out = b.int8("out", shape(1, 1), 1f, 0);
    b.operator(40, 40, null, null, ops(in, axis), ops(mean))
        .operator(32, 32, "MyOp", null, ops(mean), ops(out))
        .inputs(in)
        .outputs(out);
    assertRejected(
        () -> TfliteModel.read(b.build()),
        RejectionReason.UNSUPPORTED_OPERATOR,
        "CUSTOM(MyOp)",
        "MEAN",
        "FULLY_CONNECTED");
  }

  @Test
  void theEffectiveBuiltinCodeIsTheLargerOfTheTwoFields() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.float32("in", shape(1, 2));
    int q = b.int8("q", shape(1, 2), 0.5f, 0);
    int w = b.constantInt8("w", shape(1, 2), new byte[] {1, 1}, 1f, 0);
    int out = b.int8("out", shape(1, 1), 1f, 0);
    // a current writer: both fields hold 114; an old writer: only the deprecated byte, 9
    b.operator(114, 114, null, null, ops(in), ops(q))
        .operator(
            9, 0, null, TestModelBuilder.fullyConnected(Activation.NONE), ops(q, w, -1), ops(out))
        .inputs(in)
        .outputs(out);
    TfliteModel model = TfliteModel.read(b.build());
    assertThat(model.operators())
        .extracting(Operator::builtin)
        .containsExactly(BuiltinOperator.QUANTIZE, BuiltinOperator.FULLY_CONNECTED);
    assertThat(model.operators().get(1).input(2)).isEqualTo(-1);
  }

  @Test
  void codesAbove127AreReadFromBuiltinCode() {
    for (int code : new int[] {150, 400}) {
      TestModelBuilder b = new TestModelBuilder();
      int in = b.int8("in", shape(1, 2), 1f, 0);
      int out = b.int8("out", shape(1, 2), 1f, 0);
      b.operator(127, code, null, null, ops(in), ops(out)).inputs(in).outputs(out);
      assertRejected(
          () -> TfliteModel.read(b.build()),
          RejectionReason.UNSUPPORTED_OPERATOR,
          BuiltinOperator.schemaName(code));
    }
    assertThat(BuiltinOperator.schemaName(400)).isEqualTo("BUILTIN_400");
    assertThat(BuiltinOperator.schemaName(127)).isEqualTo("PLACEHOLDER_FOR_GREATER_OP_CODES");
  }

  @Test
  void acceptsAShapeSignatureWithUnknownDimensionsWhenTheShapeIsStatic() {
    // what a Keras Input without a fixed batch size gives: TFLite Micro ignores the signature
    TestModelBuilder signature = dense();
    signature.shapeSignature(0, -1, 2);
    TfliteModel model = TfliteModel.read(signature.build());
    assertThat(model.tensor(0).shape().dims()).containsExactly(1, 2);
  }

  @Test
  void refusesADynamicShape() {
    TestModelBuilder negative = new TestModelBuilder();
    int in = negative.int8("in", shape(-1, 2), 1f, 0);
    negative.inputs(in).outputs(in);
    assertRejected(
        () -> TfliteModel.read(negative.build()),
        RejectionReason.DYNAMIC_SHAPE,
        "tensor 0 (in)",
        "[-1, 2]",
        "convert with a fixed size");
  }

  @Test
  void refusesOperandsOutsideTheTensorList() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2), 1f, 0);
    b.operator(BuiltinOperator.RESHAPE, null, ops(in), ops(7)).inputs(in).outputs(in);
    assertRejected(() -> TfliteModel.read(b.build()), RejectionReason.CORRUPT, "tensor 7 of 1");
  }

  @Test
  void refusesConstantDataThatDoesNotMatchTheShape() {
    TestModelBuilder b = new TestModelBuilder();
    int w = b.constantInt8("w", shape(2, 2), new byte[] {1, 2, 3}, 1f, 0);
    b.inputs(w).outputs(w);
    assertRejected(
        () -> TfliteModel.read(b.build()), RejectionReason.CORRUPT, "w holds 3 bytes", "needs 4");
  }

  @Test
  void absentOptionsReadAsSchemaDefaults() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2, 2, 1), 1f, 0);
    int w = b.constantInt8("w", shape(1, 1, 1, 1), new byte[] {1}, 1f, 0);
    int out = b.int8("out", shape(1, 2, 2, 1), 1f, 0);
    b.operator(BuiltinOperator.CONV_2D, null, ops(in, w, -1), ops(out)).inputs(in).outputs(out);
    OperatorOptions options = TfliteModel.read(b.build()).operators().get(0).options();
    assertThat(options)
        .isEqualTo(new OperatorOptions.Conv2D(Padding.SAME, 0, 0, 1, 1, Activation.NONE));
  }
}
