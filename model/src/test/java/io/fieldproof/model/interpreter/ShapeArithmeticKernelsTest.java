package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Int8Check;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.RejectionReason;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

/**
 * SHAPE, STRIDED_SLICE and PACK, the int32 shape arithmetic of a Keras Flatten with a dynamic
 * batch, and STRIDED_SLICE and PACK on int8 data; expected values worked out by hand from {@code
 * strided_slice_logic.h} and {@code pack.cc}.
 */
class ShapeArithmeticKernelsTest {

  /** in [1,2,2,2] -> SHAPE -> STRIDED_SLICE [0:1] shrunk -> PACK with 8 -> RESHAPE -> [1,8]. */
  private static TestModelBuilder flatten() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 2, 2, 2), 0.5f, -3);
    int dims = b.tensor("dims", TensorType.INT32, shape(4), 0f, 0);
    int begin = b.constantInt32("begin", shape(1), new int[] {0}, 0f);
    int end = b.constantInt32("end", shape(1), new int[] {1}, 0f);
    int strides = b.constantInt32("strides", shape(1), new int[] {1}, 0f);
    int batch = b.tensor("batch", TensorType.INT32, shape(), 0f, 0);
    int rest = b.constantInt32("rest", shape(), new int[] {8}, 0f);
    int newShape = b.tensor("new_shape", TensorType.INT32, shape(2), 0f, 0);
    int out = b.int8("out", shape(1, 8), 0.5f, -3);
    return b.operator(BuiltinOperator.SHAPE, null, ops(in), ops(dims))
        .operator(
            BuiltinOperator.STRIDED_SLICE,
            TestModelBuilder.stridedSlice(0, 0, 1, false),
            ops(dims, begin, end, strides),
            ops(batch))
        .operator(
            BuiltinOperator.PACK, TestModelBuilder.pack(2, 0), ops(batch, rest), ops(newShape))
        .operator(BuiltinOperator.RESHAPE, null, ops(in, newShape), ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void flattenWithADynamicBatchComputesTheShapeAndCopiesTheBytes() {
    TfliteModel model = TfliteModel.read(flatten().build());
    assertThat(Int8Check.require(model).isInt8()).isTrue();
    TensorStorage storage = new TensorStorage(model);
    Int8Operand in = storage.int8Tensor(0);
    System.arraycopy(bytes(1, -2, 3, -4, 5, -6, 127, -128), 0, in.data(), in.offset(), 8);
    for (Operator op : model.operators()) {
      KernelFactory.prepare(op, storage).run();
    }
    assertThat(storage.int32Output(model.operators().get(0), 0)).containsExactly(1, 2, 2, 2);
    assertThat(storage.int32Output(model.operators().get(1), 0)).containsExactly(1);
    assertThat(storage.int32Output(model.operators().get(2), 0)).containsExactly(1, 8);
    Int8Operand out = storage.int8Tensor(model.outputs()[0]);
    byte[] result = new byte[8];
    System.arraycopy(out.data(), out.offset(), result, 0, 8);
    assertThat(result).containsExactly(1, -2, 3, -4, 5, -6, 127, -128);
    assertThat(OneOperator.run(flatten(), bytes(9, 8, 7, 6, 5, 4, 3, 2)))
        .containsExactly(9, 8, 7, 6, 5, 4, 3, 2);
  }

  private static TestModelBuilder slice(
      int[] begin,
      int[] end,
      int[] strides,
      int beginMask,
      int endMask,
      int shrink,
      boolean offset,
      int[] outShape) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(3, 4), 0.5f, 0);
    int bg = b.constantInt32("begin", shape(begin.length), begin, 0f);
    int en = b.constantInt32("end", shape(end.length), end, 0f);
    int st = b.constantInt32("strides", shape(strides.length), strides, 0f);
    int out = b.int8("out", outShape, 0.5f, 0);
    return b.operator(
            BuiltinOperator.STRIDED_SLICE,
            TestModelBuilder.stridedSlice(beginMask, endMask, shrink, offset),
            ops(in, bg, en, st),
            ops(out))
        .inputs(in)
        .outputs(out);
  }

  private static final byte[] ZERO_TO_ELEVEN = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

  @Test
  void stridedSliceWithNegativeStridesAndIndices() {
    // rows 2, 1 (stop 0 excluded); columns from -1 = 3 down to 0 excluded, by 2: 3, 1
    TestModelBuilder b =
        slice(new int[] {2, -1}, new int[] {0, 0}, new int[] {-1, -2}, 0, 0, 0, false, shape(2, 2));
    assertThat(OneOperator.run(b, ZERO_TO_ELEVEN)).containsExactly(11, 9, 7, 5);
  }

  @Test
  void stridedSliceMasksOffsetAndShrink() {
    // begin mask on axis 0 (from row 0), end mask on axis 1 (to the last column)
    assertThat(
            OneOperator.run(
                slice(
                    new int[] {1, 1},
                    new int[] {2, 0},
                    new int[] {1, 1},
                    1,
                    2,
                    0,
                    false,
                    shape(2, 3)),
                ZERO_TO_ELEVEN))
        .containsExactly(1, 2, 3, 5, 6, 7);
    // offset: end = begin + end, so row 1 only and columns 1, 2
    assertThat(
            OneOperator.run(
                slice(
                    new int[] {1, 1},
                    new int[] {1, 2},
                    new int[] {1, 1},
                    0,
                    0,
                    0,
                    true,
                    shape(1, 2)),
                ZERO_TO_ELEVEN))
        .containsExactly(5, 6);
    // shrink axis 0: row 1 as a vector, whatever the end says
    assertThat(
            OneOperator.run(
                slice(
                    new int[] {1, 0}, new int[] {0, 4}, new int[] {1, 1}, 0, 0, 1, false, shape(4)),
                ZERO_TO_ELEVEN))
        .containsExactly(4, 5, 6, 7);
  }

  @Test
  void stridedSliceRefusesAnOutputOfAnotherSize() {
    TestModelBuilder b =
        slice(new int[] {0, 0}, new int[] {2, 2}, new int[] {1, 1}, 0, 0, 0, false, shape(2, 3));
    assertThatThrownBy(() -> OneOperator.run(b, ZERO_TO_ELEVEN))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH);
              assertThat(e.getMessage()).contains("STRIDED_SLICE #0", "4 elements", "[2, 3]");
            });
  }

  @Test
  void stridedSliceRefusesFewerIndicesThanDimensions() {
    TestModelBuilder b =
        slice(new int[] {-1}, new int[] {3}, new int[] {1}, 0, 0, 0, false, shape(1, 4));
    assertThatThrownBy(() -> OneOperator.run(b, ZERO_TO_ELEVEN))
        .hasMessageContaining("one of each per input dimension, 2");
  }

  @Test
  void stridedSliceRefusesBeginComputedAtRunTime() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(3, 4), 0.5f, 0);
    int bg = b.tensor("begin", TensorType.INT32, shape(2), 0f, 0);
    int en = b.constantInt32("end", shape(2), new int[] {1, 1}, 0f);
    int st = b.constantInt32("strides", shape(2), new int[] {1, 1}, 0f);
    int out = b.int8("out", shape(1, 1), 0.5f, 0);
    b.operator(
            BuiltinOperator.STRIDED_SLICE,
            TestModelBuilder.stridedSlice(0, 0, 0, false),
            ops(in, bg, en, st),
            ops(out))
        .inputs(in)
        .outputs(out);
    assertThatThrownBy(() -> OneOperator.run(b, ZERO_TO_ELEVEN))
        .hasMessageContaining("begin (input 1) must be a constant int32 tensor");
  }

  private static TestModelBuilder pack(int axis, int[] outShape, int[] secondShape) {
    TestModelBuilder b = new TestModelBuilder();
    int x = b.int8("x", shape(2, 2), 0.5f, 0);
    int y = b.int8("y", secondShape, 0.5f, 0);
    int out = b.int8("out", outShape, 0.5f, 0);
    return b.operator(BuiltinOperator.PACK, TestModelBuilder.pack(2, axis), ops(x, y), ops(out))
        .inputs(x, y)
        .outputs(out);
  }

  @Test
  void packStacksAlongTheAxis() {
    byte[] x = bytes(1, 2, 3, 4);
    byte[] y = bytes(5, 6, 7, 8);
    assertThat(OneOperator.run(pack(0, shape(2, 2, 2), shape(2, 2)), x, y))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(OneOperator.run(pack(1, shape(2, 2, 2), shape(2, 2)), x, y))
        .containsExactly(1, 2, 5, 6, 3, 4, 7, 8);
    assertThat(OneOperator.run(pack(-1, shape(2, 2, 2), shape(2, 2)), x, y))
        .containsExactly(1, 5, 2, 6, 3, 7, 4, 8);
  }

  @Test
  void packRefusesInputsOfDifferentShapes() {
    assertThatThrownBy(
            () ->
                OneOperator.run(
                    pack(0, shape(2, 2, 2), shape(4)), bytes(1, 2, 3, 4), bytes(5, 6, 7, 8)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.getMessage()).contains("PACK #0", "input 1 has shape [4]"));
  }

  @Test
  void int8CheckRefusesAFloatShapeInput() {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.float32("in", shape(1, 2));
    int dims = b.tensor("dims", TensorType.INT32, shape(2), 0f, 0);
    b.operator(BuiltinOperator.SHAPE, null, ops(in), ops(dims)).inputs(in).outputs(dims);
    assertThat(Int8Check.inspect(TfliteModel.read(b.build())).findings())
        .containsExactly("SHAPE #0 input 0 (in) is FLOAT32, expected INT8");
  }
}
