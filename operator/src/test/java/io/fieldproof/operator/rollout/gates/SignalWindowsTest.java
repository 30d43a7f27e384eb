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

  @Test
  void aRebootKeepsWhatTheDeviceCountedBeforeItAndAddsWhatItCountsAfter() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(member("d", CANARY, 120_000, 100, 1)), NOW);
    windows.observe(List.of(member("d", CANARY, 180_000, 400, 31)), NOW.plusSeconds(60));
    // the device reboots: its counters since boot start again from 0
    windows.observe(List.of(member("d", CANARY, 10_000, 50, 5)), NOW.plusSeconds(75));
    windows.observe(List.of(member("d", CANARY, 70_000, 250, 25)), NOW.plusSeconds(135));

    CohortSignals signals = windows.signals(List.of("d"), CANARY::equals, 0, NOW.plusSeconds(135));

    assertThat(signals.inferences()).as("300 before the reboot, 250 after").isEqualTo(550);
    assertThat(signals.alarms()).as("30 before the reboot, 25 after").isEqualTo(55);
    assertThat(signals.value(GateRule.Metric.REBOOTS)).isEqualTo(1);
    assertThat(signals.mostRebooted()).isEqualTo("d");
  }

  @Test
  void theTimeARebootTookIsDowntime() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(member("d", CANARY, 60_000, 100, 0)), NOW);
    // last report before the reboot at +10 s; the first after it, at +40 s, shows 5 s of uptime:
    // the device was down from +10 s to +35 s
    windows.observe(List.of(member("d", CANARY, 70_000, 200, 0)), NOW.plusSeconds(10));
    windows.observe(List.of(member("d", CANARY, 5_000, 10, 0)), NOW.plusSeconds(40));

    CohortSignals signals = windows.signals(List.of("d"), CANARY::equals, 0, NOW.plusSeconds(40));

    assertThat(signals.value(GateRule.Metric.DOWNTIME_SECONDS)).isEqualTo(25.0);
  }

  @Test
  void aRebootWhileOfflineIsNotCountedTwice() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(member("d", CANARY, 60_000, 100, 0)), NOW);
    windows.observe(
        List.of(member("d", CANARY, 60_000, 100, 0, Presence.UNREACHABLE)), NOW.plusSeconds(10));
    // back at +50 s, booted at +45 s: 40 s offline counted, plus 0..10 s before it went quiet
    windows.observe(List.of(member("d", CANARY, 5_000, 10, 0)), NOW.plusSeconds(50));

    CohortSignals signals = windows.signals(List.of("d"), CANARY::equals, 0, NOW.plusSeconds(50));

    assertThat(signals.downtimeSeconds()).isEqualTo(50.0);
    assertThat(signals.mostReboots()).isEqualTo(1);
  }

  @Test
  void aDeviceCrashLoopingOnTheModelFailsARebootsGateByName() {
    SignalWindows windows = new SignalWindows();
    List<String> canary = List.of("steady", "looping");
    windows.observe(
        List.of(member("steady", CANARY, 1_000, 0, 0), member("looping", CANARY, 10_000, 0, 0)),
        NOW);
    for (int boot = 1; boot <= 4; boot++) {
      Instant at = NOW.plusSeconds(30L * boot);
      windows.observe(
          List.of(
              member("steady", CANARY, 1_000 + 30_000L * boot, 100L * boot, 0),
              member("looping", CANARY, 2_000, 3, 0)),
          at);
      windows.observe(List.of(member("looping", CANARY, 4_000, 5, 0)), at.plusSeconds(2));
    }

    CohortSignals signals = windows.signals(canary, CANARY::equals, 0, NOW.plusSeconds(130));
    GateRule rule = new GateRule();
    rule.metric = GateRule.Metric.REBOOTS;
    rule.max = 2.0;
    GatesSpec gates = new GatesSpec();
    gates.minDevices = 5;
    gates.rules = List.of(rule);
    GateVerdict verdict = GateEvaluator.judge(gates, signals, CohortSignals.empty());

    assertThat(signals.mostReboots()).isEqualTo(4);
    assertThat(verdict.outcome())
        .as("a crash loop fails however few devices were updated")
        .isEqualTo(GateVerdict.Outcome.FAILED);
    assertThat(verdict.message())
        .isEqualTo("reboots 4 > 2.000: looping rebooted 4 times running the model (crash loop)");
  }

  @Test
  void aNewModelOpensANewWindowAndItsRebootsStartAgain() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(member("d", OLD, 60_000, 100, 0)), NOW);
    windows.observe(List.of(member("d", OLD, 1_000, 10, 0)), NOW.plusSeconds(10));
    windows.observe(List.of(member("d", CANARY, 2_000, 20, 0)), NOW.plusSeconds(20));
    windows.observe(List.of(member("d", CANARY, 12_000, 70, 0)), NOW.plusSeconds(30));

    CohortSignals signals = windows.signals(List.of("d"), CANARY::equals, 0, NOW.plusSeconds(30));

    assertThat(signals.mostReboots()).isZero();
    assertThat(signals.inferences()).isEqualTo(50);
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
  void episodesAndSafeStateActivationsAreCountedOverEachDevicesWindow() {
    SignalWindows windows = new SignalWindows();
    windows.observe(
        List.of(
            safety("c1", CANARY, 0, 0, 0, 0),
            safety("b1", OLD, 0, 0, 0, 0),
            member("old-runtime", CANARY, 0, 0)),
        NOW);
    windows.observe(
        List.of(
            safety("c1", CANARY, 1_000, 90, 3, 4),
            safety("b1", OLD, 1_000, 30, 3, 0),
            member("old-runtime", CANARY, 1_000, 6)),
        NOW);

    CohortSignals updated = windows.signals(List.of("c1", "old-runtime"), CANARY::equals, 0, NOW);
    CohortSignals base = windows.signals(List.of("b1"), OLD::equals, 0, NOW);

    assertThat(updated.alarms()).isEqualTo(96);
    assertThat(updated.alarmEpisodes())
        .as("c1's 3 episodes, and the 6 steps in alarm of the device that counts no episodes")
        .isEqualTo(9);
    assertThat(updated.safeStateActivations()).isEqualTo(4);
    assertThat(base.alarmEpisodes()).isEqualTo(3);
    assertThat(base.safeStateActivations()).isZero();
  }

  private static Member safety(
      String id, String sha256, long inferences, long alarms, long episodes, long safeStates) {
    Health health =
        Health.builder()
            .uptimeMs(60_000)
            .inferences(inferences)
            .alarms(alarms)
            .fallbackActivations(safeStates)
            .alarmEpisodes(episodes)
            .fallbackActivationsByAction(
                safeStates == 0 ? Map.of() : Map.of(Health.SAFE_STATE, safeStates))
            .build();
    return withHealth(id, sha256, health);
  }

  @Test
  void aWindowOpensAgainWhenTheDeviceAppliesAnotherConfigGeneration() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(onGeneration("d", OLD, 1, 1_000, 900)), NOW);
    windows.observe(List.of(onGeneration("d", OLD, 1, 2_000, 1_800)), NOW);
    // the same model under a rollout's config: the alarms counted before do not count for it
    windows.observe(List.of(onGeneration("d", OLD, 1_000_417, 2_000, 1_800)), NOW);
    windows.observe(List.of(onGeneration("d", OLD, 1_000_417, 2_100, 1_801)), NOW);

    CohortSignals unit =
        windows.signals(List.of("d"), (sha, generation) -> generation == 1_000_417L, 0, NOW);
    CohortSignals groupConfig =
        windows.signals(List.of("d"), (sha, generation) -> generation == 1L, 0, NOW);

    assertThat(unit.inferences()).isEqualTo(100);
    assertThat(unit.alarms()).isEqualTo(1);
    assertThat(groupConfig.devices()).isZero();
  }

  @Test
  void aDeviceThatLostItsConfigInARebootKeepsItsWindowUntilItsAgentPutsTheConfigBack() {
    SignalWindows windows = new SignalWindows();
    windows.observe(List.of(onGeneration("d", OLD, 4, 1_000, 10)), NOW);
    windows.observe(List.of(onGeneration("d", OLD, 0, 50, 1)), NOW.plusSeconds(10));
    windows.observe(List.of(onGeneration("d", OLD, 4, 100, 2)), NOW.plusSeconds(20));

    CohortSignals signals = windows.signals(List.of("d"), (sha, g) -> g == 4L, 0, NOW);

    assertThat(signals.inferences()).as("the window kept across the reboot").isEqualTo(100);
  }

  private static Member onGeneration(
      String id, String sha256, long generation, long inferences, long alarms) {
    Health health = Health.builder().uptimeMs(60_000).inferences(inferences).alarms(alarms).build();
    return withHealth(id, sha256, health, Presence.ONLINE, generation);
  }

  private static Member member(String id, String sha256, long inferences, long alarms) {
    return member(id, sha256, 60_000, inferences, alarms);
  }

  private static Member member(
      String id, String sha256, long uptimeMs, long inferences, long alarms) {
    return member(id, sha256, uptimeMs, inferences, alarms, Presence.ONLINE);
  }

  private static Member member(
      String id, String sha256, long uptimeMs, long inferences, long alarms, Presence presence) {
    Health health =
        Health.builder().uptimeMs(uptimeMs).inferences(inferences).alarms(alarms).build();
    return withHealth(id, sha256, health, presence);
  }

  private static Member withHealth(String id, String sha256, Health health) {
    return withHealth(id, sha256, health, Presence.ONLINE);
  }

  private static Member withHealth(String id, String sha256, Health health, Presence presence) {
    return withHealth(id, sha256, health, presence, 1);
  }

  private static Member withHealth(
      String id, String sha256, Health health, Presence presence, long generation) {
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
    return new Member(entry, presence, null);
  }
}
