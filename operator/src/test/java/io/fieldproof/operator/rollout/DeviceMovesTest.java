package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.DeviceConditions;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import io.fieldproof.operator.rollout.window.MaintenanceWindows;
import io.fieldproof.operator.rollout.window.MaintenanceWindowsTest;
import io.fieldproof.operator.rollout.window.WriteGate;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Vitals;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which devices a pass tells to run the model: maxConcurrent, the retry backoff, maintenance
 * windows and device conditions.
 */
class DeviceMovesTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void pendingDevicesStartOnlyWhileFewerThanMaxConcurrentAreBusy() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("d1", view("d1", DeviceState.IN_PROGRESS, 1, null));
    views.put("d2", view("d2", DeviceState.PENDING, 0, null));
    views.put("d3", view("d3", DeviceState.PENDING, 0, null));
    views.put("d4", view("d4", DeviceState.PENDING, 0, null));

    Map<String, Integer> sent =
        DeviceMoves.attempts(List.of("d1", "d2", "d3", "d4"), views, 3, NOW);

    assertThat(sent)
        .as("1 busy + 2 started = maxConcurrent 3, in rank order")
        .containsExactly(Map.entry("d2", 1), Map.entry("d3", 1));
  }

  @Test
  void busyDevicesOutsideTheCohortCountAgainstTheLimit() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("old", view("old", DeviceState.RETRYING, 1, NOW.plusSeconds(60)));
    views.put("d2", view("d2", DeviceState.PENDING, 0, null));

    assertThat(DeviceMoves.attempts(List.of("d2"), views, 1, NOW)).isEmpty();
    assertThat(DeviceMoves.attempts(List.of("d2"), views, 2, NOW))
        .containsExactly(Map.entry("d2", 1));
  }

  @Test
  void aRetryingDeviceGetsItsNextAttemptOnlyOnceItsBackoffRanOut() {
    Instant due = NOW.plusSeconds(10);
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("r", view("r", DeviceState.RETRYING, 2, due));

    assertThat(DeviceMoves.attempts(List.of("r"), views, 1, due.minusMillis(1))).isEmpty();
    assertThat(DeviceMoves.attempts(List.of("r"), views, 1, due))
        .as("the retry takes no new place: the device is busy already")
        .containsExactly(Map.entry("r", 3));
  }

  @Test
  void failedUpdatedAndOfflineDevicesAreNotSent() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("f", view("f", DeviceState.FAILED, 3, null));
    views.put("u", view("u", DeviceState.UPDATED, 1, null));
    views.put("o", view("o", DeviceState.OFFLINE, 0, null));

    assertThat(DeviceMoves.attempts(List.of("f", "u", "o"), views, 10, NOW)).isEmpty();
  }

  @Test
  void aWindowThatClosesMidWriteLetsTheWriteFinishButStartsNoNewOne() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("writing", view("writing", DeviceState.IN_PROGRESS, 1, null));
    views.put("next", view("next", DeviceState.PENDING, 0, null));
    views.put("retry", view("retry", DeviceState.RETRYING, 1, NOW.minusSeconds(1)));
    List<String> cohort = List.of("writing", "next", "retry");
    MaintenanceWindows windows =
        MaintenanceWindows.of(List.of(MaintenanceWindowsTest.window("0 9 * * *", "1h", "UTC")));
    // 09:00 to 10:00 UTC: open a second before NOW, closed at NOW
    WriteGate open = new WriteGate(windows.at(NOW.minusSeconds(1)), null);
    WriteGate closed = new WriteGate(windows.at(NOW), null);
    assertThat(open.windowOpen()).isTrue();
    assertThat(closed.windowOpen()).isFalse();

    assertThat(DeviceMoves.attempts(cohort, views, 10, NOW, id -> mayStart(open, views, id)))
        .containsExactly(Map.entry("next", 1), Map.entry("retry", 2));
    assertThat(DeviceMoves.attempts(cohort, views, 10, NOW, id -> mayStart(closed, views, id)))
        .as("no first attempt and no retry starts once the window closed")
        .isEmpty();

    Waiting waiting = Waiting.of(cohort, views, closed, NOW);
    assertThat(waiting.forWindow())
        .as("the write in progress is not waiting: it goes on and finishes")
        .isEqualTo(2);
    assertThat(waiting.listed(20))
        .extracting(w -> w.device + "/" + w.reason)
        .containsExactly("next/MaintenanceWindow", "retry/MaintenanceWindow");
    assertThat(waiting.listed(20).get(0).message)
        .isEqualTo("waiting for maintenance window (opens 2026-12-07 09:00:00 UTC)");
    RolloutDeviceCounts counts = new RolloutDeviceCounts();
    counts.pending = 1;
    counts.inProgress = 2;
    waiting.count(counts, views, true, false);
    assertThat(counts.waitingForWindow).isEqualTo(2);
    assertThat(counts.pending).isZero();
    assertThat(counts.inProgress).as("the device still writing").isEqualTo(1);
    assertThat(counts.failed).isZero();
    assertThat(counts.waitingForCondition).as("no conditions, no count").isNull();
  }

  @Test
  void aDeviceBelowAConditionWaitsAndTheNextInRankTakesItsPlace() {
    DeviceConditions conditions = new DeviceConditions();
    conditions.minBatteryPercent = 30;
    conditions.minLinkQuality = 50;
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("low", view("low", DeviceState.PENDING, 0, null, vitals(12, null, null)));
    views.put("weak", view("weak", DeviceState.PENDING, 0, null, vitals(90, -92, null)));
    views.put("noisy", view("noisy", DeviceState.PENDING, 0, null, vitals(null, null, 700)));
    views.put("mains", view("mains", DeviceState.PENDING, 0, null));
    views.put("ok", view("ok", DeviceState.PENDING, 0, null, vitals(30, -60, null)));
    WriteGate gate = new WriteGate(null, conditions);

    assertThat(
            DeviceMoves.attempts(
                List.copyOf(views.keySet()), views, 1, NOW, id -> mayStart(gate, views, id)))
        .as("maxConcurrent 1: the first device that meets the conditions")
        .containsExactly(Map.entry("mains", 1));
    Waiting waiting = Waiting.of(List.copyOf(views.keySet()), views, gate, NOW);
    assertThat(waiting.listed(20))
        .extracting(w -> w.device + ": " + w.reason + ": " + w.message)
        .containsExactly(
            "low: LowBattery: battery 12 % is below spec.deviceConditions.minBatteryPercent 30 %",
            "weak: LowLinkQuality: link quality 16 (RSSI -92 dBm) is below"
                + " spec.deviceConditions.minLinkQuality 50",
            "noisy: LowLinkQuality: link quality 30 (700 ‰ frames damaged) is below"
                + " spec.deviceConditions.minLinkQuality 50");
    assertThat(waiting.forCondition()).isEqualTo(3);
    assertThat(waiting.forWindow()).isZero();
  }

  private static boolean mayStart(WriteGate gate, Map<String, DeviceView> views, String id) {
    return gate.hold(views.get(id).member()).isEmpty();
  }

  private static Vitals vitals(Integer battery, Integer rssi, Integer errors) {
    return new Vitals(battery, null, Vitals.linkQuality(rssi, errors), rssi, errors);
  }

  private static DeviceView view(
      String id, DeviceState state, int attempt, Instant retryAt, Vitals vitals) {
    Health health = Health.builder().uptimeMs(1000).vitals(vitals).build();
    ReportedState reported =
        new ReportedState(
            1, id, "gw-1", ReportedState.Link.CONNECTED, 0, null, null, "Idle", null, health);
    DeviceEntry entry = new DeviceEntry("ns", id, Set.of("gw-1"), null, reported, null, NOW);
    return new DeviceView(
        new Member(entry, Presence.ONLINE, null), state, attempt, null, null, retryAt, null);
  }

  private static DeviceView view(String id, DeviceState state, int attempt, Instant retryAt) {
    DeviceEntry entry = new DeviceEntry("ns", id, Set.of("gw-1"), null, null, null, NOW);
    return new DeviceView(
        new Member(entry, Presence.ONLINE, null), state, attempt, null, null, retryAt, null);
  }
}
