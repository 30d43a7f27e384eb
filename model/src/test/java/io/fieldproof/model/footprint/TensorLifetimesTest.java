package io.fieldproof.model.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.model.TestModelBuilder;
import io.fieldproof.model.tflite.Activation;
import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.TfliteModel;
import org.junit.jupiter.api.Test;

/** Lifetimes and the arena plan of a three-operator chain with a skip connection. */
class TensorLifetimesTest {

  /** in -> RESHAPE a -> RESHAPE b -> ADD(a, b) out, plus an unused tensor and a constant. */
  static TfliteModel chain() {
    return TfliteModel.read(chainBuilder().build());
  }

  private static TestModelBuilder chainBuilder() {
    TestModelBuilder m = new TestModelBuilder();
    int in = m.int8("in", new int[] {1, 20}, 1f, 0);
    int a = m.int8("a", new int[] {20}, 1f, 0);
    int b = m.int8("b", new int[] {1, 20}, 1f, 0);
    int out = m.int8("out", new int[] {1, 20}, 1f, 0);
    m.int8("unused", new int[] {3}, 1f, 0);
    m.constantInt8("constant", new int[] {4}, new byte[] {1, 2, 3, 4}, 1f, 0);
    m.operator(BuiltinOperator.RESHAPE, null, new int[] {in}, new int[] {a})
        .operator(BuiltinOperator.RESHAPE, null, new int[] {a}, new int[] {b})
        .operator(
            BuiltinOperator.ADD,
            TestModelBuilder.add(Activation.NONE),
            new int[] {a, b},
            new int[] {out})
        .inputs(in)
        .outputs(out);
    return m;
  }

  @Test
  void followsTfliteMicrosTimeSteps() {
    TensorLifetimes lifetimes = TensorLifetimes.of(chain());
    assertThat(new int[] {lifetimes.firstCreated(0), lifetimes.lastUsed(0)}).containsExactly(0, 1);
    assertThat(new int[] {lifetimes.firstCreated(1), lifetimes.lastUsed(1)}).containsExactly(1, 3);
    assertThat(new int[] {lifetimes.firstCreated(2), lifetimes.lastUsed(2)}).containsExactly(2, 3);
    assertThat(new int[] {lifetimes.firstCreated(3), lifetimes.lastUsed(3)}).containsExactly(3, 3);
    assertThat(lifetimes.firstCreated(4)).isEqualTo(TensorLifetimes.UNUSED);
    assertThat(lifetimes.lastUsed(4)).isEqualTo(TensorLifetimes.UNUSED);
  }

  @Test
  void plansEveryNonConstantTensorWithAlignedSizes() {
    TensorArenaPlan plan = TensorArenaPlan.of(chain());
    // 20 bytes align to 32. Order: out, b, a, in (equal sizes, last added first), then unused.
    // out [3,3] at 0; b [2,3] meets out: 32; a [1,3] meets both: 64; in [0,1] meets a: 0;
    // unused [-1,-1] meets nothing: 0.
    assertThat(plan.offset(3)).isZero();
    assertThat(plan.offset(2)).isEqualTo(32);
    assertThat(plan.offset(1)).isEqualTo(64);
    assertThat(plan.offset(0)).isZero();
    assertThat(plan.offset(4)).isZero();
    assertThat(plan.offset(5)).isEqualTo(TensorArenaPlan.NOT_PLANNED);
    assertThat(plan.plannedBytes()).isEqualTo(96);
  }

  @Test
  void honoursOfflinePlannedOffsets() {
    TestModelBuilder m = chainBuilder();
    // version 1, subgraph 0, 6 tensors; "in" fixed at 256, the rest planned online
    m.metadata("OfflineMemoryAllocation", 1, 0, 6, 256, -1, -1, -1, -1, -1);
    TfliteModel model = TfliteModel.read(m.build());
    assertThat(model.offlinePlannedOffsets()).containsExactly(256, -1, -1, -1, -1, -1);
    TensorArenaPlan plan = TensorArenaPlan.of(model);
    assertThat(plan.offset(0)).isEqualTo(256);
    // the online tensors fit below it as before: "a" finds the 192-byte gap under "in"
    assertThat(plan.offset(3)).isZero();
    assertThat(plan.offset(2)).isEqualTo(32);
    assertThat(plan.offset(1)).isEqualTo(64);
    assertThat(plan.plannedBytes()).isEqualTo(288);
  }
}
