package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.GateResult;
import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.operator.leader.Leadership;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateEvaluationsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GateEvaluations evaluations = new GateEvaluations(registry, new Leadership());

  @Test
  void countsEachRuleWhoseRecordedResultChanged() {
    ModelRollout first =
        rollout(gate(GateRule.Metric.ALARM_RATE, 0.1, 0.1, GateResult.Result.PASS));
    ModelRollout moved =
        rollout(
            gate(GateRule.Metric.ALARM_RATE, 0.5, 0.1, GateResult.Result.FAIL),
            gate(GateRule.Metric.SELF_TEST_FAILURES, 0.0, null, GateResult.Result.PASS));

    evaluations.onUpdate(rollout(), first);
    evaluations.onUpdate(first, moved);

    assertThat(count("alarmRate", "Pass")).isEqualTo(1);
    assertThat(count("alarmRate", "Fail")).isEqualTo(1);
    assertThat(count("selfTestFailures", "Pass")).isEqualTo(1);
  }

  @Test
  void anUnchangedStatusCountsNothing() {
    ModelRollout same = rollout(gate(GateRule.Metric.ALARM_RATE, 0.1, 0.1, GateResult.Result.PASS));

    evaluations.onUpdate(
        same, rollout(gate(GateRule.Metric.ALARM_RATE, 0.1, 0.1, GateResult.Result.PASS)));
    evaluations.onAdd(same);

    assertThat(registry.find("fieldproof.rollout.gate.evaluations").counters()).isEmpty();
  }

  @Test
  void aStandbyReplicaCountsNothing() {
    GateEvaluations standby = new GateEvaluations(registry, new Leadership(true));

    standby.onUpdate(
        rollout(), rollout(gate(GateRule.Metric.ALARM_RATE, 0.5, 0.1, GateResult.Result.FAIL)));

    assertThat(registry.find("fieldproof.rollout.gate.evaluations").counters()).isEmpty();
  }

  private double count(String metric, String result) {
    return registry
        .get("fieldproof.rollout.gate.evaluations")
        .tags("namespace", "plant-a", "metric", metric, "result", result)
        .counter()
        .count();
  }

  private static ModelRollout rollout(GateResult... gates) {
    ModelRollout rollout = new ModelRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withNamespace("plant-a").withName("r").build());
    rollout.setStatus(new ModelRolloutStatus());
    rollout.getStatus().gates = gates.length == 0 ? null : List.of(gates);
    return rollout;
  }

  private static GateResult gate(
      GateRule.Metric metric, Double value, Double baseline, GateResult.Result result) {
    GateResult gate = new GateResult();
    gate.metric = metric;
    gate.value = value;
    gate.baseline = baseline;
    gate.result = result;
    return gate;
  }
}
