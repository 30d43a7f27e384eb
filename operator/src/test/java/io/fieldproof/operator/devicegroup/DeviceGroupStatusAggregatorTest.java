package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.HealthSpec;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.protocol.CaptureHealth;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ReportedState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertThat(status.attention)
        .extracting(a -> a.reason)
        .containsExactly(
            "Offline",
            "Offline",
            "Offline",
            "Offline",
            "SensorFault",
            "FallbackActive",
            "FallbackActive");
  }

  @Test
  void safetyActivationsAreSummedByActionAndASafeStateMemberComesBeforeSensorFaults() {
    List<Member> members = new java.util.ArrayList<>(counts(4, 4, 0, 1));
    members.set(
        2,
        withHealth(
            members.get(2),
            Health.builder()
                .uptimeMs(1000)
                .readings(10)
                .telemetryFrames(10)
                .fallbackActivations(2)
                .fallbackActive(true)
                .sensorFaults(1)
                .sensorFaultsByKind(Map.of("out_of_range", 1L))
                .alarmEpisodes(0L)
                .fallbackActivationsByAction(Map.of(Health.SAFE_STATE, 2L, Health.SUPPRESS, 1L))
                .fallbackAction(Health.SAFE_STATE)
                .build()));
    members.set(
        3,
        withHealth(
            members.get(3),
            Health.builder()
                .uptimeMs(1000)
                .readings(10)
                .telemetryFrames(10)
                .fallbackActivations(1)
                .fallbackActive(true)
                .alarmEpisodes(0L)
                .fallbackActivationsByAction(Map.of(Health.HOLD_LAST, 1L))
                .fallbackAction(Health.HOLD_LAST)
                .build()));

    DeviceGroupStatus status = aggregator.aggregate(group(), observe(members, List.of()), NOW);

    assertThat(status.devices.safeState).isEqualTo(1);
    assertThat(status.devices.fallbackActive).isEqualTo(2);
    assertThat(status.fallbackActivations.safeState).isEqualTo(2);
    assertThat(status.fallbackActivations.suppress).isEqualTo(1);
    assertThat(status.fallbackActivations.holdLast).isEqualTo(1);
    assertThat(status.fallbackActivations.alarm).isZero();
    assertThat(status.attention)
        .extracting(a -> a.device + " " + a.reason + ": " + a.message)
        .containsExactly(
            "esp32-0002 SafeState: a safe-state fallback rule holds the outputs in their safe"
                + " state (2 safe-state activations since boot); 1 inputs in fault",
            "esp32-0000 SensorFault: 1 inputs in fault; faults so far by kind: {stuck=1}",
            "esp32-0003 FallbackActive: deciding by fallback: hold-last");
  }

  @Test
  void captureIsSummedOverTheMembersThatReportIt() {
    List<Member> members = new java.util.ArrayList<>(counts(4, 4, 0, 0));
    members.set(
        0,
        withHealth(
            members.get(0),
            Health.builder()
                .capture(
                    new CaptureHealth(7L, 2L, 5L, Map.of("device_budget", 1L, "spool_full", 2L)))
                .build()));
    members.set(
        1,
        withHealth(
            members.get(1),
            Health.builder()
                .capture(new CaptureHealth(3L, 1L, 2L, Map.of("spool_full", 1L)))
                .build()));
    // a device whose config does not capture, on a gateway with no capture store
    members.set(
        2,
        withHealth(
            members.get(2),
            Health.builder()
                .capture(new CaptureHealth(null, null, 0L, Map.of("no_store", 4L)))
                .build()));

    DeviceGroupStatus status = aggregator.aggregate(group(), observe(members, List.of()), NOW);

    assertThat(status.capture.devicesCapturing).isEqualTo(2);
    assertThat(status.capture.windowsCaptured).isEqualTo(10);
    assertThat(status.capture.windowsMissed).isEqualTo(3);
    assertThat(status.capture.windowsUploaded).isEqualTo(7);
    assertThat(status.capture.windowsDropped)
        .containsExactly(
            Map.entry("device_budget", 1L), Map.entry("no_store", 4L), Map.entry("spool_full", 3L));
    assertThat(aggregator.aggregate(group(), observe(members, List.of()), NOW).capture)
        .usingRecursiveComparison()
        .isEqualTo(status.capture);
  }

  @Test
  void captureIsAbsentUntilTheGroupCapturesOrAMemberReportsIt() {
    assertThat(aggregator.aggregate(group(), observe(counts(3, 3, 0, 0), List.of()), NOW).capture)
        .isNull();

    DeviceGroup capturing = group();
    capturing.getSpec().capture = new io.fieldproof.api.v1alpha1.CaptureSpec();
    capturing.getSpec().capture.enabled = true;
    DeviceGroupStatus status =
        aggregator.aggregate(capturing, observe(counts(3, 3, 0, 0), List.of()), NOW);

    assertThat(status.capture).isNotNull();
    assertThat(status.capture.devicesCapturing).isZero();
    assertThat(status.capture.windowsCaptured).isZero();
    assertThat(status.capture.windowsDropped).isEmpty();
  }

  @Test
  void captureDropReasonsAreBoundedAndHostileCountsNeitherWrapNorCount() {
    Map<String, Long> manyReasons = new java.util.HashMap<>();
    for (int i = 0; i < 16; i++) {
      manyReasons.put("reason_" + (char) ('a' + i), 1L);
    }
    manyReasons.put("Not A Reason", 5L);
    List<Member> members = new java.util.ArrayList<>(counts(3, 3, 0, 0));
    members.set(
        0,
        withHealth(
            members.get(0),
            Health.builder()
                .capture(new CaptureHealth(Long.MAX_VALUE, 0L, 0L, manyReasons))
                .build()));
    members.set(
        1,
        withHealth(
            members.get(1),
            Health.builder()
                .capture(new CaptureHealth(5L, 0L, 0L, Map.of("zz_more", 1L)))
                .build()));

    DeviceGroupStatus status = aggregator.aggregate(group(), observe(members, List.of()), NOW);

    assertThat(status.capture.windowsCaptured).isEqualTo(Long.MAX_VALUE);
    assertThat(status.capture.windowsDropped)
        .hasSize(io.fieldproof.api.v1alpha1.GroupCapture.MAX_DROP_REASONS)
        .doesNotContainKey("Not A Reason")
        .doesNotContainKey("zz_more");
  }

  @Test
  void membersWithNoEarlierModelToBootBackToAreCounted() {
    io.fieldproof.protocol.ModelRef v1 =
        new io.fieldproof.protocol.ModelRef("m", "1", "a".repeat(64), 100);
    io.fieldproof.protocol.ModelRef v2 =
        new io.fieldproof.protocol.ModelRef("m", "2", "b".repeat(64), 100);
    List<Member> members =
        List.of(
            withSlots(0, new io.fieldproof.protocol.Slots("A", v2, v1, "VALID", "VALID")),
            withSlots(1, new io.fieldproof.protocol.Slots("A", v1, null, "VALID", null)),
            withSlots(2, new io.fieldproof.protocol.Slots("B", v1, v2, "VALID", "INVALID")),
            withSlots(3, null));

    DeviceGroupStatus status = aggregator.aggregate(group(), observe(members, List.of()), NOW);

    assertThat(status.devices.cannotRevert)
        .as("only esp32-0000 holds a bootable earlier model in its other slot")
        .isEqualTo(3);
  }

  private static Member withSlots(int i, io.fieldproof.protocol.Slots slots) {
    ReportedState reported =
        new ReportedState(
            1,
            "esp32-" + i,
            "gw-1",
            ReportedState.Link.CONNECTED,
            1,
            null,
            slots,
            "Idle",
            null,
            null);
    DeviceEntry entry =
        new DeviceEntry(
            "ns", String.format("esp32-%04d", i), Set.of("gw-1"), null, reported, null, NOW);
    return new Member(entry, Presence.ONLINE, null);
  }

  private static Member withHealth(Member member, Health health) {
    ReportedState reported =
        new ReportedState(
            1,
            member.id(),
            "gw-1",
            ReportedState.Link.CONNECTED,
            1,
            null,
            null,
            "Idle",
            null,
            health);
    DeviceEntry entry =
        new DeviceEntry("ns", member.id(), Set.of("gw-1"), null, reported, null, NOW);
    return new Member(entry, member.presence(), null);
  }

  @Test
  void conflictsAreShownAndBlockReady() {
    List<Member> members = new java.util.ArrayList<>(counts(3, 3, 0, 0));
    Member first = members.get(0);
    members.set(
        0, new Member(first.entry(), Presence.ONLINE, "also selected by DeviceGroup other"));

    DeviceGroupStatus status = aggregator.aggregate(group(), observe(members, List.of()), NOW);

    assertThat(condition(status, "Conflict").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Stalled").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Stalled").getReason()).isEqualTo("DeviceClaimedTwice");
    assertThat(condition(status, "Conflict").getMessage())
        .contains("esp32-0000 (also selected by DeviceGroup other)");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Conflict");
    assertThat(status.attention.get(0).reason).isEqualTo("Conflict");
    assertThat(status.devices.healthy).isEqualTo(2);
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

  @Test
  void driftAgainstTheTrainingReferenceShowsPerInputWithItsMagnitude() {
    DeviceGroup group = group();
    group.getSpec().inputs = List.of(input("accel_rms"), input("temperature_c"), input("raw"));
    List<Member> members = new java.util.ArrayList<>();
    for (int i = 0; i < 19; i++) {
      members.add(withDrift(i, Map.of("accel_rms", 0.04 * i, "temperature_c", 0.2), List.of()));
    }
    members.add(
        withDrift(19, Map.of("accel_rms", 0.3, "temperature_c", 5.04), List.of("temperature_c")));

    DeviceGroupStatus status = aggregator.aggregate(group, observe(members, List.of()), NOW);

    assertThat(status.drift)
        .extracting(
            d -> d.input + " " + d.devices + " " + d.drifting + " " + d.maxSigma + " " + d.p95Sigma)
        .containsExactly("accel_rms 20 0 0.7 0.7", "temperature_c 20 1 5.0 0.2");
    assertThat(status.devices.drifting).isEqualTo(1);
    assertThat(condition(status, "Drifting").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Drifting").getMessage())
        .isEqualTo("1 of 20 members report drifting inputs: temperature_c on 1 (up to 5.0 sigma)");
    assertThat(status.attention)
        .singleElement()
        .satisfies(a -> assertThat(a.message).contains("temperature_c"));
  }

  @Test
  void membersThatReportNoMagnitudesLeaveNoDriftList() {
    DeviceGroup group = group();
    group.getSpec().inputs = List.of(input("accel_rms"));

    DeviceGroupStatus status =
        aggregator.aggregate(group, observe(counts(3, 3, 0, 0), List.of()), NOW);

    assertThat(status.drift).isNull();
    assertThat(condition(status, "Drifting").getMessage())
        .isEqualTo("0 of 3 members report drifting inputs");
  }

  private static io.fieldproof.api.v1alpha1.InputSpec input(String name) {
    io.fieldproof.api.v1alpha1.InputSpec input = new io.fieldproof.api.v1alpha1.InputSpec();
    input.name = name;
    return input;
  }

  private static Member withDrift(int i, Map<String, Double> sigma, List<String> drifting) {
    Health health =
        Health.builder()
            .uptimeMs(1000)
            .readings(10)
            .telemetryFrames(10)
            .driftingInputs(drifting)
            .driftSigma(sigma)
            .build();
    ReportedState reported =
        new ReportedState(
            1,
            "esp32-" + i,
            "gw-1",
            ReportedState.Link.CONNECTED,
            4,
            null,
            null,
            "Idle",
            null,
            health);
    DeviceEntry entry =
        new DeviceEntry(
            "ns", String.format("esp32-%04d", i), Set.of("gw-1"), null, reported, null, NOW);
    return new Member(entry, Presence.ONLINE, null);
  }

  @Test
  void aBudgetLoweredUnderTheRunningModelDegradesTheGroupNamingTheFigure() {
    DeviceGroup group = group();
    group.getSpec().inputs = List.of(input("accel_rms"));
    group.getSpec().power = new io.fieldproof.api.v1alpha1.PowerSpec();
    group.getSpec().power.samplingPeriodMilliseconds = 100;
    group.getSpec().power.budgetMilliwatts = 20.0;
    group.getSpec().telemetry = new io.fieldproof.api.v1alpha1.TelemetrySpec();
    group.getSpec().telemetry.reportIntervalSeconds = 30;
    List<Member> members =
        counts(3, 3, 0, 0).stream()
            .map(
                m ->
                    new Member(
                        new DeviceEntry(
                            "ns",
                            m.id(),
                            Set.of("gw-1"),
                            new io.fieldproof.protocol.DeviceInfo(
                                m.id(), "esp32", "1.0.0", null, Map.of()),
                            m.entry().reported(),
                            null,
                            NOW),
                        Presence.ONLINE,
                        null))
            .toList();

    DeviceGroupStatus status =
        aggregator.aggregate(
            group,
            new DeviceGroupStatusAggregator.Observation(
                members, List.of(), new GroupRollouts(List.of(succeeded(1000)))),
            NOW);

    // esp32 at 1000 µs, 10 inferences/s, one input, a report every 30 s: 21.4126 mW each
    assertThat(status.power.chips)
        .singleElement()
        .satisfies(c -> assertThat(c.devices).isEqualTo(3));
    assertThat(status.power.totalMilliwatts).isEqualTo(64.238);
    Condition degraded = condition(status, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("OverPowerBudget");
    assertThat(degraded.getMessage())
        .isEqualTo(
            "vibration-anomaly 1.4.0 on esp32: 21.4 mW average at 10 inferences/s exceeds the"
                + " group's budget of 20 mW");
  }

  private static io.fieldproof.api.v1alpha1.ModelRollout succeeded(long esp32Micros) {
    var rollout = new io.fieldproof.api.v1alpha1.ModelRollout();
    rollout.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withNamespace("ns")
            .withCreationTimestamp("2026-11-25T09:00:00Z")
            .build());
    rollout.setSpec(new io.fieldproof.api.v1alpha1.ModelRolloutSpec());
    rollout.getSpec().model = new io.fieldproof.api.v1alpha1.ModelSpec();
    rollout.getSpec().model.name = "vibration-anomaly";
    rollout.getSpec().model.version = "1.4.0";
    rollout.setStatus(new io.fieldproof.api.v1alpha1.ModelRolloutStatus());
    rollout.getStatus().phase = io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase.SUCCEEDED;
    rollout.getStatus().model = new io.fieldproof.api.v1alpha1.ModelInspection();
    rollout.getStatus().model.sha256 = "ab".repeat(32);
    var latency = new io.fieldproof.api.v1alpha1.LatencyEstimateInfo();
    latency.chip = "esp32";
    latency.micros = esp32Micros;
    rollout.getStatus().model.latency = List.of(latency);
    return rollout;
  }

  private static DeviceGroupStatusAggregator.Observation observe(
      List<Member> members, List<String> problems) {
    return new DeviceGroupStatusAggregator.Observation(
        members, problems, new GroupRollouts(List.of()));
  }

  /** total members, the first `online` of them online, some on fallback, some with faults. */
  private static List<Member> counts(int total, int online, int fallback, int faults) {
    List<Member> members = new java.util.ArrayList<>();
    for (int i = 0; i < total; i++) {
      boolean isOnline = i < online;
      boolean onFallback = isOnline && i < fallback;
      boolean faulty = isOnline && i >= fallback && i < fallback + faults;
      Health health =
          Health.builder()
              .uptimeMs(1000)
              .readings(10)
              .telemetryFrames(10)
              .fallbackActivations(onFallback ? 1 : 0)
              .fallbackActive(onFallback)
              .sensorFaults(faulty ? 1 : 0)
              .sensorFaultsByKind(faulty ? Map.of("stuck", 1L) : Map.of())
              .build();
      ReportedState reported =
          new ReportedState(
              1,
              "esp32-" + i,
              "gw-1",
              ReportedState.Link.CONNECTED,
              1,
              null,
              null,
              "Idle",
              null,
              health);
      DeviceEntry entry =
          new DeviceEntry(
              "ns", String.format("esp32-%04d", i), Set.of("gw-1"), null, reported, null, NOW);
      members.add(new Member(entry, isOnline ? Presence.ONLINE : Presence.SILENT, null));
    }
    return members;
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
