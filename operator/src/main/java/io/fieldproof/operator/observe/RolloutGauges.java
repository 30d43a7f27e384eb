package io.fieldproof.operator.observe;

import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges of the rollouts, recomputed on each refresh from their status:
 * fieldproof_rollouts{namespace,phase} (every phase of a namespace with rollouts, zero included),
 * and the latest value and baseline of each gate rule,
 * fieldproof_rollout_gate_value/baseline{namespace,rollout,metric}.
 */
final class RolloutGauges {

  private final ClusterState cluster;
  private final MultiGauge phases;
  private final MultiGauge gateValues;
  private final MultiGauge gateBaselines;

  RolloutGauges(MeterRegistry registry, ClusterState cluster) {
    this.cluster = cluster;
    phases =
        MultiGauge.builder("fieldproof.rollouts")
            .description("ModelRollouts by phase (those with a phase in status)")
            .register(registry);
    gateValues =
        MultiGauge.builder("fieldproof.rollout.gate.value")
            .description("Latest value of a gate rule's metric on the updated devices")
            .register(registry);
    gateBaselines =
        MultiGauge.builder("fieldproof.rollout.gate.baseline")
            .description("Latest value of a gate rule's metric on the devices not updated yet")
            .register(registry);
  }

  void refresh() {
    List<ModelRollout> rollouts = cluster.rollouts();
    phases.register(phaseRows(rollouts), true);
    List<MultiGauge.Row<?>> values = new ArrayList<>();
    List<MultiGauge.Row<?>> baselines = new ArrayList<>();
    for (ModelRollout rollout : rollouts) {
      if (rollout.getStatus() == null || rollout.getStatus().gates == null) {
        continue;
      }
      Tags tags =
          Tags.of(
              "namespace",
              rollout.getMetadata().getNamespace(),
              "rollout",
              rollout.getMetadata().getName());
      for (GateResult gate : rollout.getStatus().gates) {
        Tags rule = tags.and("metric", JsonNames.of(gate.metric));
        if (gate.value != null) {
          values.add(MultiGauge.Row.of(rule, gate.value));
        }
        if (gate.baseline != null) {
          baselines.add(MultiGauge.Row.of(rule, gate.baseline));
        }
      }
    }
    gateValues.register(values, true);
    gateBaselines.register(baselines, true);
  }

  private static List<MultiGauge.Row<?>> phaseRows(List<ModelRollout> rollouts) {
    Map<String, Map<Phase, Integer>> byNamespace = new TreeMap<>();
    for (ModelRollout rollout : rollouts) {
      Map<Phase, Integer> counts =
          byNamespace.computeIfAbsent(rollout.getMetadata().getNamespace(), n -> zeros());
      if (rollout.getStatus() != null && rollout.getStatus().phase != null) {
        counts.merge(rollout.getStatus().phase, 1, Integer::sum);
      }
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byNamespace.forEach(
        (namespace, counts) ->
            counts.forEach(
                (phase, count) ->
                    rows.add(
                        MultiGauge.Row.of(
                            Tags.of("namespace", namespace, "phase", JsonNames.of(phase)),
                            count))));
    return rows;
  }

  private static Map<Phase, Integer> zeros() {
    Map<Phase, Integer> counts = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      counts.put(phase, 0);
    }
    return counts;
  }
}
