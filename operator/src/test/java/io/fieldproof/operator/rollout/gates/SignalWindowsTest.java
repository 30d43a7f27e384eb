package io.fieldproof.operator.rollout.gates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.GateRule;
import io.fieldproof.api.v1alpha1.GatesSpec;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignalWindowsTest {

  private static final String CANARY = "a".repeat(64);
  private static final String OLD = "b".repeat(64);
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void oneDeviceReportingAHugeInferenceCountCannotDiluteTheCanaryAlarmRate() {
    SignalWindows windows = new SignalWindows();
    List<String> canary = List.of("c1", "c2", "c3", "fake");
    List<String> baseline = List.of("b1", "b2", "b3", "b4");
    observe(windows, canary, CANARY, 0, 0);
    observe(windows, baseline, OLD, 0, 0);
    // the canary alarms on 5 % of its inferences, the baseline on 1 %; the fake canary ran a
    // billion inferences without an alarm
    List<Member> later = new ArrayList<>();
    for (String id : List.of("c1", "c2", "c3")) {
      later.add(member(id, CANARY, 1_000, 50));
    }
    later.add(member("fake", CANARY, 1_000_000_000L, 0));
    for (String id : baseline) {
      later.add(member(id, OLD, 1_000, 10));
    }
    windows.observe(later, NOW);

    CohortSignals updated = windows.signals(canary, CANARY::equals, 0, NOW);
    CohortSignals base = windows.signals(baseline, OLD::equals, 0, NOW);

    assertThat(updated.devices()).isEqualTo(4);
    assertThat(updated.inferences())
        .as("the fake device weighs twice the median device, not a billion inferences")
        .isEqualTo(3 * 1_000 + 2 * 1_000);
    assertThat(updated.value(GateRule.Metric.ALARM_RATE)).isGreaterThan(0.02);
    GateVerdict verdict = GateEvaluator.judge(alarmRateWithin(1.5), updated, base);
    assertThat(verdict.outcome()).isEqualTo(GateVerdict.Outcome.FAILED);
  }

  @Test
  void oneDeviceReportingAHugeAlarmCountWeighsNoMoreThanTwiceTheMedianDevice() {
    SignalWindows windows = new SignalWindows();
    List<String> canary = List.of("c1", "c2", "c3", "loud");
    observe(windows, canary, CANARY, 0, 0);
    List<Member> later = new ArrayList<>();
    for (String id : List.of("c1", "c2", "c3")) {
      later.add(member(id, CANARY, 1_000, 10));
    }
    later.add(member("loud", CANARY, 100_000, 100_000));
    windows.observe(later, NOW);

    CohortSignals updated = windows.signals(canary, CANARY::equals, 0, NOW);

    // 30 real alarms plus the loud device's own rate (1.0) over its capped weight of 2 000
    assertThat(updated.alarms()).isEqualTo(30 + 2_000);
    assertThat(updated.inferences()).isEqualTo(5_000);
  }

  @Test
  void devicesWithinTwiceTheMedianCountAsTheyReport() {
    SignalWindows windows = new SignalWindows();
    List<String> cohort = List.of("d1", "d2", "d3");
    observe(windows, cohort, CANARY, 0, 0);
    windows.observe(
        List.of(
            member("d1", CANARY, 1_000, 10),
            member("d2", CANARY, 1_500, 20),
            member("d3", CANARY, 2_000, 40)),
        NOW);

    CohortSignals signals = windows.signals(cohort, CANARY::equals, 0, NOW);

    assertThat(signals.inferences()).isEqualTo(4_500);
    assertThat(signals.alarms()).isEqualTo(70);
  }

  private static GatesSpec alarmRateWithin(double ratio) {
    GateRule rule = new GateRule();
    rule.metric = GateRule.Metric.ALARM_RATE;
    rule.maxRatioToBaseline = ratio;
    GatesSpec gates = new GatesSpec();
    gates.minDevices = 1;
    gates.rules = List.of(rule);
    return gates;
  }

  private static void observe(
      SignalWindows windows, List<String> ids, String sha256, long inferences, long alarms) {
    List<Member> members = new ArrayList<>();
    for (String id : ids) {
      members.add(member(id, sha256, inferences, alarms));
    }
    windows.observe(members, NOW);
  }

  @Test
  void aWindowOpensAgainWhenTheDeviceAppliesAnotherConfigGeneration() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(member("d", OLD, 1, 1_000, 900)), NOW);
    windows.observe(List.of(member("d", OLD, 1, 2_000, 1_800)), NOW);
    // the same model under a rollout's config: the alarms counted before do not count for it
    windows.observe(List.of(member("d", OLD, 1_000_417, 2_000, 1_800)), NOW);
    windows.observe(List.of(member("d", OLD, 1_000_417, 2_100, 1_801)), NOW);

    CohortSignals unit =
        windows.signals(List.of("d"), (sha, generation) -> generation == 1_000_417L, 0, NOW);
    CohortSignals groupConfig =
        windows.signals(List.of("d"), (sha, generation) -> generation == 1L, 0, NOW);

    assertThat(unit.inferences()).isEqualTo(100);
    assertThat(unit.alarms()).isEqualTo(1);
    assertThat(groupConfig.devices()).isZero();
  }

  private static Member member(String id, String sha256, long inferences, long alarms) {
    return member(id, sha256, 1, inferences, alarms);
  }

  private static Member member(
      String id, String sha256, long generation, long inferences, long alarms) {
    Health health =
        new Health(60_000, 0, 0, inferences, alarms, 0, false, 0, Map.of(), List.of(), null);
    ReportedState reported =
        new ReportedState(
            1,
            id,
            "gw-1",
            ReportedState.Link.CONNECTED,
            generation,
            null,
            new Slots("A", new ModelRef("m", "1", sha256, 100), null),
            "Idle",
            null,
            health);
    DeviceEntry entry = new DeviceEntry("ns", id, Set.of("gw-1"), null, reported, null, NOW);
    return new Member(entry, Presence.ONLINE, null);
  }
}
