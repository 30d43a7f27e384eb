package io.fieldproof.model.interpreter;

import static io.fieldproof.model.interpreter.OneOperator.bytes;
import static io.fieldproof.model.interpreter.OneOperator.ops;
import static io.fieldproof.model.interpreter.OneOperator.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.model.tflite.RejectionReason;
import org.junit.jupiter.api.Test;

/** RESHAPE copies bytes into the output's shape. */
class ReshapeKernelTest {

  private static TestModelBuilder reshape(int[] outShape) {
    TestModelBuilder b = new TestModelBuilder();
    int in = b.int8("in", shape(1, 4), 0.5f, 3);
    int out = b.int8("out", outShape, 0.5f, 3);
    return b.operator(BuiltinOperator.RESHAPE, TestModelBuilder.reshape(-1, 2), ops(in), ops(out))
        .inputs(in)
        .outputs(out);
  }

  @Test
  void copiesTheBytesUnchanged() {
    assertThat(OneOperator.run(reshape(shape(2, 2)), bytes(1, -2, 3, -128)))
        .containsExactly(1, -2, 3, -128);
  }

  @Test
  void refusesAnOutputOfAnotherSize() {
    assertThatThrownBy(() -> OneOperator.run(reshape(shape(2, 3)), bytes(1, 2, 3, 4)))
        .isInstanceOfSatisfying(
            ModelRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_GRAPH));
  }
}
