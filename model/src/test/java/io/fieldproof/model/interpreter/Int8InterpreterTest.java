package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.fixtures.Fixtures;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Padding;
import io.fieldproof.model.tflite.RejectionReason;
import io.fieldproof.model.tflite.TfliteModel;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The interpreter's API and its promise that invoke() allocates nothing. */
class Int8InterpreterTest {

  /**
   * Every kernel in one graph: float input, QUANTIZE, CONV_2D (per-channel), DEPTHWISE_CONV_2D,
   * MAX_POOL_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, ADD (broadcast constant), LOGISTIC,
   * QUANTIZE int8 to int8, SOFTMAX, DEQUANTIZE, float output.
   */
  static TestModelBuilder everyKernel() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.float32("in", shape(1, 4, 4, 1));
    int q0 = b.int8("q0", shape(1, 4, 4, 1), 0.05f, 0);
    int convW =
        b.constantInt8(
            "conv_w",
            shape(2, 2, 2, 1),
            bytes(10, -20, 30, 40, -50, 60, 70, -80),
            new float[] {0.02f, 0.03f},
            new long[] {0, 0},
            0);
    int convB = b.constantInt32("conv_b", shape(2), new int[] {100, -200}, 0.001f);
    int c1 = b.int8("c1", shape(1, 4, 4, 2), 0.04f, -128);
    int dwW =
        b.constantInt8(
            "dw_w",
            shape(1, 3, 3, 2),
            bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9),
            0.1f,
            0);
    int d2 = b.int8("d2", shape(1, 4, 4, 2), 0.05f, -128);
    int p3 = b.int8("p3", shape(1, 2, 2, 2), 0.05f, -128);
    int p4 = b.int8("p4", shape(1, 1, 1, 2), 0.05f, -128);
    int r5 = b.int8("r5", shape(1, 2), 0.05f, -128);
    int fcW = b.constantInt8("fc_w", shape(3, 2), bytes(50, -60, 70, 80, -90, 100), 0.1f, 0);
    int fcB = b.constantInt32("fc_b", shape(3), new int[] {10, 20, -30}, 0.005f);
    int f6 = b.int8("f6", shape(1, 3), 0.1f, 0);
    int addC = b.constantInt8("add_c", shape(3), bytes(5, -5, 15), 0.1f, 0);
    int a7 = b.int8("a7", shape(1, 3), 0.2f, 0);
    int l8 = b.int8("l8", shape(1, 3), 1f / 256, -128);
    int q9 = b.int8("q9", shape(1, 3), 1f / 64, -10);
    int s10 = b.int8("s10", shape(1, 3), 1f / 256, -128);
    int out = b.float32("out", shape(1, 3));
    b.operator(BuiltinOperator.QUANTIZE, null, ops(in), ops(q0))
        .operator(
            BuiltinOperator.CONV_2D,
            TestModelBuilder.conv(Padding.SAME, 1, 1, Activation.RELU),
            ops(q0, convW, convB),
            ops(c1))
        .operator(
            BuiltinOperator.DEPTHWISE_CONV_2D,
            TestModelBuilder.depthwise(Padding.SAME, 1, 1, Activation.RELU6),
            ops(c1, dwW, -1),
            ops(d2))
        .operator(
            BuiltinOperator.MAX_POOL_2D,
            TestModelBuilder.pool(Padding.VALID, 2, 2, Activation.NONE),
            ops(d2),
            ops(p3))
        .operator(
            BuiltinOperator.AVERAGE_POOL_2D,
            TestModelBuilder.pool(Padding.VALID, 2, 2, Activation.NONE),
            ops(p3),
            ops(p4))
        .operator(BuiltinOperator.RESHAPE, TestModelBuilder.reshape(1, 2), ops(p4), ops(r5))
        .operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(r5, fcW, fcB),
            ops(f6))
        .operator(
            BuiltinOperator.ADD, TestModelBuilder.add(Activation.NONE), ops(f6, addC), ops(a7))
        .operator(BuiltinOperator.LOGISTIC, null, ops(a7), ops(l8))
        .operator(BuiltinOperator.QUANTIZE, null, ops(l8), ops(q9))
        .operator(BuiltinOperator.SOFTMAX, TestModelBuilder.softmax(1f), ops(q9), ops(s10))
        .operator(BuiltinOperator.DEQUANTIZE, null, ops(s10), ops(out))
        .inputs(in)
        .outputs(out);
    return b;
  }

  private static Int8Interpreter interpreter(TestModelBuilder model) {
    return Int8Interpreter.of(TfliteModel.read(model.build()));
  }

  private static float[] ramp(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (i - n / 2) * 0.7f;
    }
    return values;
  }

  @Test
  void invokeAllocatesNothing() {
    Int8Interpreter interpreter = interpreter(everyKernel());
    interpreter.setInput(0, ramp(16));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      interpreter.invoke();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 20_000; i++) {
      interpreter.invoke();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // one allocation per invoke would be at least 16 bytes x 20,000; allow constant noise
    assertThat(allocated).isLessThan(4096);
    assertThat(interpreter.invocationCount()).isEqualTo(40_000);
  }

  /** The fixtures of issue 17's operators: their kernels allocate nothing per invoke either. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"concat_pad_mean.tflite", "activations_mix.tflite", "shape_ops.tflite"})
  void newerKernelsAllocateNothing(String fixture) {
    Int8Interpreter interpreter = Int8Interpreter.of(TfliteModel.read(Fixtures.model(fixture)));
    interpreter.setInput(0, ramp(interpreter.inputTensor(0).shape().flatSize()));
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20_000; i++) {
      interpreter.invoke();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 20_000; i++) {
      interpreter.invoke();
    }
    assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(4096);
  }

  @Test
  void runsEveryKernelAndReportsItsCounts() {
    Int8Interpreter interpreter = interpreter(everyKernel());
    interpreter.setInput(0, ramp(16));
    interpreter.invoke();
    float[] probabilities = interpreter.outputFloat(0);
    assertThat(probabilities).hasSize(3);
    float sum = 0;
    for (float p : probabilities) {
      assertThat(p).isBetween(0f, 1f);
      sum += p;
    }
    assertThat(sum).isBetween(0.95f, 1.05f);
    assertThat(interpreter.operatorsPerInvoke()).isEqualTo(12);
    // conv 4*4*2 outputs x 2*2*1, depthwise 4*4*2 x 3*3, dense 3 x 2
    assertThat(interpreter.macsPerInvoke()).isEqualTo(128 + 288 + 6);
    assertThat(interpreter.arenaBytes()).isPositive();
  }

  @Test
  void inputsStayValidAcrossInvocations() {
    Int8Interpreter interpreter = interpreter(everyKernel());
    interpreter.setInput(0, ramp(16));
    interpreter.invoke();
    float[] first = interpreter.outputFloat(0);
    interpreter.invoke();
    assertThat(interpreter.outputFloat(0)).containsExactly(first);
  }

  private static TestModelBuilder dense() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2), 0.5f, 0);
    int w = b.constantInt8("w", shape(1, 2), bytes(1, 1), 1f, 0);
    int out = b.int8("out", shape(1, 1), 0.5f, 2);
    return b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(in, w, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void realValuesAreQuantizedOnTheWayInAndDequantizedOnTheWayOut() {
    Int8Interpreter interpreter = interpreter(dense());
    interpreter.setInput(0, new float[] {1.5f, 2.0f});
    interpreter.invoke();
    // inputs 3 and 4; output 7 + 2 = 9; (9 - 2) * 0.5 = 3.5
    assertThat(interpreter.output(0)).containsExactly(9);
    assertThat(interpreter.outputFloat(0)).containsExactly(3.5f);
  }

  @Test
  void refusesInputsOfTheWrongLengthOrType() {
    Int8Interpreter int8 = interpreter(dense());
    assertThatThrownBy(() -> int8.setInput(0, bytes(1, 2, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 2 values, got 3");
    Int8Interpreter floating = interpreter(everyKernel());
    assertThatThrownBy(() -> floating.setInput(0, bytes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FLOAT32");
    assertThatThrownBy(() -> floating.output(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAFloatModel() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.float32("in", shape(1, 2));
    int w = b.constantFloat32("w", shape(1, 2), new float[] {1f, 2f});
    int out = b.float32("out", shape(1, 1));
    b.operator(
            BuiltinOperator.FULLY_CONNECTED,
            TestModelBuilder.fullyConnected(Activation.NONE),
            ops(in, w, -1),
            ops(out))
        .inputs(in)
        .outputs(out);
    assertThatThrownBy(() -> interpreter(b))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.FLOAT_MODEL));
  }
}
