package io.fieldproof.operator.observe;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.operator.leader.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Counts the gate results rollouts record in their status,
 * fieldproof_rollout_gate_evaluations_total{namespace,metric,result}: a rule counts once each time
 * its value, baseline or result in status changes. The operator rounds gate values to three
 * significant digits and writes status only on a change, so an evaluation that repeats the recorded
 * result is not counted again.
 */
final class GateEvaluations implements ResourceEventHandler<ModelRollout> {

  private final MeterRegistry registry;
  private final Leadership leadership;

  GateEvaluations(MeterRegistry registry, Leadership leadership) {
    this.registry = registry;
    this.leadership = leadership;
  }

  @Override
  public void onAdd(ModelRollout rollout) {}

  @Override
  public void onUpdate(ModelRollout before, ModelRollout after) {
    if (!leadership.leading()) {
      return;
    }
    List<GateResult> previous = gates(before);
    for (GateResult gate : gates(after)) {
      if (gate.result != null && previous.stream().noneMatch(p -> same(p, gate))) {
        Counter.builder("fieldproof.rollout.gate.evaluations")
            .description("Gate results recorded in a rollout's status, by result")
            .tag("namespace", after.getMetadata().getNamespace())
            .tag("metric", JsonNames.of(gate.metric))
            .tag("result", JsonNames.of(gate.result))
            .register(registry)
            .increment();
      }
    }
  }

  @Override
  public void onDelete(ModelRollout rollout, boolean deletedFinalStateUnknown) {}

  private static List<GateResult> gates(ModelRollout rollout) {
    if (rollout == null || rollout.getStatus() == null || rollout.getStatus().gates == null) {
      return List.of();
    }
    return rollout.getStatus().gates;
  }

  private static boolean same(GateResult a, GateResult b) {
    return a.metric == b.metric
        && a.result == b.result
        && Objects.equals(a.value, b.value)
        && Objects.equals(a.baseline, b.baseline);
  }
}
