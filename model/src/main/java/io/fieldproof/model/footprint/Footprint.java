package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.BuiltinOperator;
import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.TfliteModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a model costs a device: flash, tensor arena, operators and compute.
 *
 * @param flashBytes the model file's size, what its slot must hold
 * @param arena the tensor arena it needs
 * @param operators the distinct operators it uses, in order of first use
 * @param costs MACs per operator, in execution order
 */
public record Footprint(
    long flashBytes,
    ArenaEstimate arena,
    List<BuiltinOperator> operators,
    List<OperatorCost> costs) {

  public Footprint {
    operators = List.copyOf(operators);
    costs = List.copyOf(costs);
  }

  /**
   * Measures {@code model}.
   *
   * @throws io.fieldproof.model.tflite.ModelRejectedException ({@code INVALID_GRAPH}) when its
   *     tensors cannot be planned in a 2 GiB arena
   */
  public static Footprint of(TfliteModel model) {
    long[] macs = MacCounter.perOperator(model);
    List<OperatorCost> costs = new ArrayList<>(macs.length);
    for (Operator op : model.operators()) {
      costs.add(new OperatorCost(op.index(), op.builtin(), macs[op.index()]));
    }
    ArenaEstimate arena =
        new ArenaEstimate(
            TensorArenaPlan.of(model).plannedBytes(), PersistentOverheadEstimate.estimate(model));
    return new Footprint(model.sizeBytes(), arena, List.copyOf(model.distinctOperators()), costs);
  }

  /** Total MACs per invocation. */
  public long totalMacs() {
    return costs.stream().mapToLong(OperatorCost::macs).sum();
  }
}
