package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fieldproof.api.v1alpha1.DecisionSpec;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.FallbackSpec;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutSpec;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.RuleCondition;
import io.fieldproof.api.v1alpha1.RuntimeConfigOverride;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupConfigsTest {

  private final DeviceGroup group = sampleGroup(3);

  @Test
  void aRolloutsConfigReplacesOnlyTheFieldsItGives() {
    GroupConfigs.Unit unit = GroupConfigs.of(group, rollout("r1", "2026-12-01T10:00:00Z", 0.5));

    assertThat(unit.config().decision().threshold()).isEqualTo(0.5);
    assertThat(unit.config().inputs()).hasSize(4);
    assertThat(unit.config().fallback().rules()).hasSize(2);
    assertThat(unit.generation()).isBetween(3_000_001L, 3_999_999L);
    assertThat(ConfigGeneration.groupPart(unit.generation())).isEqualTo(3);
    assertThat(ConfigGeneration.rolloutPart(unit.generation()))
        .isEqualTo(ConfigGeneration.salt("uid-r1"));
  }

  @Test
  void twoRolloutsOfOneGroupGetDifferentGenerationsAndTheGroupsOwnStaysApart() {
    long a = GroupConfigs.of(group, rollout("r1", "2026-12-01T10:00:00Z", 0.5)).generation();
    long b = GroupConfigs.of(group, rollout("r2", "2026-12-01T10:00:00Z", 0.5)).generation();

    assertThat(a).isNotEqualTo(b).isNotEqualTo(3L);
    assertThat(ConfigGeneration.rolloutPart(3)).isZero();
    assertThat(ConfigGeneration.groupPart(3)).isEqualTo(3);
  }

  @Test
  void theNewestSucceededConfigRolloutIsInForceAndAnActingOneOnlyOnItsCohort() {
    ModelRollout older = rollout("older", "2026-12-01T10:00:00Z", 0.6);
    older.getStatus().phase = Phase.SUCCEEDED;
    ModelRollout newer = rollout("newer", "2026-12-02T10:00:00Z", 0.7);
    newer.getStatus().phase = Phase.SUCCEEDED;
    ModelRollout canary = rollout("canary", "2026-12-03T10:00:00Z", -1);
    canary.getStatus().phase = Phase.PROGRESSING;
    List<ModelRollout> rollouts = List.of(older, newer, canary);

    GroupConfigs.Unit inForce = GroupConfigs.inForce(group, rollouts);
    assertThat(inForce.rollout()).isEqualTo("newer");
    assertThat(inForce.config().decision().threshold()).isEqualTo(0.7);

    long canaryGeneration = GroupConfigs.of(group, canary).generation();
    assertThat(GroupConfigs.forDevice(group, rollouts, canaryGeneration, inForce).rollout())
        .isEqualTo("canary");
    assertThat(GroupConfigs.forDevice(group, rollouts, 3, inForce)).isEqualTo(inForce);

    canary.getStatus().phase = Phase.ROLLED_BACK;
    assertThat(GroupConfigs.forDevice(group, rollouts, canaryGeneration, inForce))
        .isEqualTo(inForce);
  }

  @Test
  void aGenerationOfARolloutTheListLacksIsUnknown() {
    ModelRollout known = rollout("known", "2026-12-01T10:00:00Z", 0.5);
    long ofKnown = GroupConfigs.of(group, known).generation();
    long ofOther =
        GroupConfigs.of(group, rollout("other", "2026-12-01T10:00:00Z", 0.5)).generation();

    assertThat(GroupConfigs.knows(List.of(known), ofKnown)).isTrue();
    assertThat(GroupConfigs.knows(List.of(known), ofOther)).isFalse();
    assertThat(GroupConfigs.knows(List.of(), 3)).as("the group's own generation").isTrue();
  }

  @Test
  void withoutAConfigRolloutTheGroupsOwnConfigAndGenerationApply() {
    GroupConfigs.Unit unit = GroupConfigs.inForce(group, List.of());

    assertThat(unit.generation()).isEqualTo(3);
    assertThat(unit.rollout()).isNull();
    assertThat(unit.config()).isEqualTo(RuntimeConfigMapper.from(group.getSpec()));
  }

  @Test
  void aConfigThatDoesNotFitTheGroupIsNamed() {
    RuntimeConfigOverride override = new RuntimeConfigOverride();
    override.inputs = List.of(group.getSpec().inputs.get(0));
    override.fallback = new FallbackSpec();
    FallbackRule rule = new FallbackRule();
    rule.name = "hot";
    RuleCondition condition = new RuleCondition();
    condition.input = "temperature_c";
    condition.op = RuleCondition.Op.GT;
    condition.value = 85.0;
    rule.all = List.of(condition);
    override.fallback.rules = List.of(rule);

    assertThat(GroupConfigs.problems(group.getSpec(), override))
        .anySatisfy(p -> assertThat(p).startsWith("spec.config.inputs: 1 inputs"))
        .anySatisfy(p -> assertThat(p).contains("names input temperature_c"));
    assertThat(GroupConfigs.problems(group.getSpec(), null)).isEmpty();
  }

  private static ModelRollout rollout(String name, String created, double threshold) {
    ModelRollout rollout = new ModelRollout();
    rollout.getMetadata().setName(name);
    rollout.getMetadata().setUid("uid-" + name);
    rollout.getMetadata().setCreationTimestamp(created);
    rollout.setSpec(new ModelRolloutSpec());
    rollout.getSpec().deviceGroup = "pump-vibration";
    rollout.getSpec().config = new RuntimeConfigOverride();
    rollout.getSpec().config.decision = new DecisionSpec();
    rollout.getSpec().config.decision.threshold = threshold;
    rollout.setStatus(new ModelRolloutStatus());
    return rollout;
  }

  private static DeviceGroup sampleGroup(long generation) {
    try (InputStream in =
        Files.newInputStream(
            ProjectPaths.root().resolve("samples/esp32-vibration/devicegroup.yaml"))) {
      DeviceGroup group = Serialization.unmarshal(in, DeviceGroup.class);
      group.getMetadata().setGeneration(generation);
      return group;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
