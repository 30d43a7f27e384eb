package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.HealthSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceGroupStatusAggregatorTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private final DeviceGroupStatusAggregator aggregator = new DeviceGroupStatusAggregator();

  @Test
  void anEmptyGroupIsNotReady() {
    DeviceGroupStatus status =
        aggregator.aggregate(group(), observe(counts(0, 0, 0, 0), List.of()), NOW);

    assertThat(status.observedGeneration).isEqualTo(4L);
    assertThat(status.devices.summary).isEqualTo("0/0");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("NoMembers");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aHealthyGroupIsReady() {
    DeviceGroupStatus status =
        aggregator.aggregate(group(), observe(counts(20, 19, 0, 0), List.of()), NOW);

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("19 of 20 members healthy");
    assertThat(status.devices.summary).isEqualTo("19/20");
  }

  @Test
  void tooManyOfflineOrOnFallbackDegradesTheGroup() {
    DeviceGroupStatus status =
        aggregator.aggregate(group(), observe(counts(20, 16, 2, 1), List.of()), NOW);

    Condition degraded = condition(status, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getMessage())
        .isEqualTo(
            "4 of 20 members offline (20.0% > 10.0%); 2 of 20 members on fallback (10.0% > 5.0%)");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Degraded");
  }

  @Test
  void specProblemsMakeTheGroupNotReady() {
    DeviceGroupStatus status =
        aggregator.aggregate(
            group(),
            observe(counts(3, 3, 0, 0), List.of("spec.fallback.rules[0]: never fires")),
            NOW);

    assertThat(condition(status, "Ready").getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(status, "Ready").getMessage()).contains("never fires");
  }

  @Test
  void theSameInputGivesTheSameStatus() {
    DeviceGroup group = group();
    group.setStatus(aggregator.aggregate(group, observe(counts(5, 5, 0, 0), List.of()), NOW));

    DeviceGroupStatus again =
        aggregator.aggregate(group, observe(counts(5, 5, 0, 0), List.of()), NOW.plusSeconds(600));

    assertThat(again).usingRecursiveComparison().isEqualTo(group.getStatus());
  }

  private static DeviceGroupStatusAggregator.Observation observe(
      DeviceCounts counts, List<String> problems) {
    return new DeviceGroupStatusAggregator.Observation(counts, problems);
  }

  private static DeviceCounts counts(int total, int online, int fallback, int faults) {
    DeviceCounts counts = new DeviceCounts();
    counts.total = total;
    counts.online = online;
    counts.offline = total - online;
    counts.fallbackActive = fallback;
    counts.sensorFault = faults;
    counts.healthy = online - fallback - faults;
    return counts;
  }

  private static DeviceGroup group() {
    DeviceGroup group = new DeviceGroup();
    group.setMetadata(
        new ObjectMetaBuilder().withName("g").withNamespace("ns").withGeneration(4L).build());
    group.setSpec(new DeviceGroupSpec());
    group.getSpec().health = new HealthSpec();
    group.getSpec().health.maxOfflinePercent = 10.0;
    group.getSpec().health.maxFallbackPercent = 5.0;
    group.getSpec().health.maxSensorFaultPercent = 5.0;
    return group;
  }

  private static Condition condition(DeviceGroupStatus status, String type) {
    return status.conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
