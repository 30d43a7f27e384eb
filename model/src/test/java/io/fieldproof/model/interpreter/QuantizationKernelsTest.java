package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

/** QUANTIZE (float to int8 and int8 to int8) and DEQUANTIZE. */
class QuantizationKernelsTest {

  private static byte[] quantize(float scale, int zeroPoint, float... values) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.float32("in", shape(1, values.length));
    int out = b.int8("out", shape(1, values.length), scale, zeroPoint);
    b.operator(BuiltinOperator.QUANTIZE, null, ops(in), ops(out)).inputs(in).outputs(out);
    Int8Interpreter interpreter = Int8Interpreter.of(TfliteModel.read(b.build()));
    interpreter.setInput(0, values);
    interpreter.invoke();
    return interpreter.output(0);
  }

  @Test
  void quantizeDividesInFloatAndRoundsHalvesAwayFromZero() {
    // 1.25 / 0.5 = 2.5 -> 3, + 1; -2.5 -> -3, + 1; 100 / 0.5 + 1 = 201 -> 127
    assertThat(quantize(0.5f, 1, 1.25f, -1.25f, 0f, 100f, -100f))
        .containsExactly(4, -2, 1, 127, -128);
  }

  @Test
  void quantizeOutOfInt32RangeFollowsX86() {
    // 6e9 does not fit int32: x86 gives INT32_MIN; + 1 stays negative -> -128,
    // + (-3) wraps to a large positive value -> 127
    assertThat(quantize(0.5f, 1, 3e9f, Float.NaN)).containsExactly(-128, -128);
    assertThat(quantize(0.5f, -3, 3e9f, -3e9f, Float.NaN)).containsExactly(127, 127, 127);
  }

  @Test
  void requantizeRescalesBetweenInt8Scales() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 4), 1f, 0);
    int out = b.int8("out", shape(1, 4), 2f, 10);
    b.operator(BuiltinOperator.QUANTIZE, null, ops(in), ops(out)).inputs(in).outputs(out);
    // 5 * 0.5 = 2.5 -> 3; -5 -> -2.5 -> -2 (SRDHM tie of a negative); 127 -> 63.5 -> 64 -> 74 -> 74
    assertThat(OneOperator.run(b, bytes(5, -5, 127, -128))).containsExactly(13, 8, 74, -54);
  }

  @Test
  void dequantizeMultipliesInDouble() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 3), 0.1f, -3);
    int out = b.float32("out", shape(1, 3));
    b.operator(BuiltinOperator.DEQUANTIZE, null, ops(in), ops(out)).inputs(in).outputs(out);
    Int8Interpreter interpreter = Int8Interpreter.of(TfliteModel.read(b.build()));
    interpreter.setInput(0, bytes(7, -3, -128));
    interpreter.invoke();
    assertThat(interpreter.outputFloat(0))
        .containsExactly((float) ((double) 0.1f * 10), 0f, (float) ((double) 0.1f * -125));
  }
}
