package io.fieldproof.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.ReportedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetIndexTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final FleetIndex index = new FleetIndex(clock);

  @Test
  void aBirthAnnouncesDevicesAndAWillTakesThemOffline() {
    index.gatewayState("ns", birth("gw-1", 3, "esp32-000000000001", "esp32-000000000002"));
    DeviceEntry device = index.device("ns", "esp32-000000000001").orElseThrow();
    assertThat(index.online(device, Duration.ofSeconds(90))).isTrue();

    index.gatewayState("ns", GatewayState.will("gw-1", 3));

    assertThat(
            index.online(
                index.device("ns", "esp32-000000000001").orElseThrow(), Duration.ofSeconds(90)))
        .isFalse();
    assertThat(index.gateway("ns", "gw-1").orElseThrow().online()).isFalse();
  }

  @Test
  void itCountsTheDevicesAnnouncedReportedAndHoldingADesiredState() throws InvalidMessageException {
    index.gatewayState(
        "ns", birth("gw-1", 1, "esp32-000000000001", "esp32-000000000002", "esp32-000000000003"));
    index.reported("ns", report("esp32-000000000001", "gw-1"));
    index.desired("ns", "esp32-000000000002", desired("esp32-000000000002"));
    index.desired("ns", "esp32-000000000009", desired("esp32-000000000009"));

    assertThat(index.announcedCount()).isEqualTo(3);
    assertThat(index.reportedCount()).isEqualTo(1);
    assertThat(index.desiredCount()).as("one of them no gateway announces").isEqualTo(2);
    assertThat(index.deviceCount()).isEqualTo(4);
  }

  @Test
  void aDeviceClaimedByTwoGatewaysKeepsTheOrderOfTheClaims() {
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-3", 1, "esp32-000000000001"));

    DeviceEntry device = index.device("ns", "esp32-000000000001").orElseThrow();
    assertThat(device.announcedBy()).containsExactly("gw-2", "gw-1", "gw-3");
    assertThat(device.gateway()).isEqualTo("gw-2");
    assertThat(device.laterClaims()).containsExactly("gw-1", "gw-3");
  }

  @Test
  void aLateWillOfAnOlderSessionChangesNothing() {
    index.gatewayState("ns", birth("gw-1", 5, "esp32-000000000001"));

    index.gatewayState("ns", GatewayState.will("gw-1", 4));

    assertThat(index.gateway("ns", "gw-1").orElseThrow().online()).isTrue();
    assertThat(index.gateway("ns", "gw-1").orElseThrow().seq()).isEqualTo(5);
  }

  @Test
  void silenceLongerThanOfflineAfterMeansOffline() throws InvalidMessageException {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    clock.advance(Duration.ofSeconds(60));
    index.reported("ns", report("esp32-000000000001", "gw-1"));
    DeviceEntry device = index.device("ns", "esp32-000000000001").orElseThrow();
    clock.advance(Duration.ofSeconds(89));
    assertThat(index.online(device, Duration.ofSeconds(90))).isTrue();

    clock.advance(Duration.ofSeconds(2));

    assertThat(index.online(device, Duration.ofSeconds(90))).isFalse();
  }

  @Test
  void aDeviceLeftOutOfANewBirthIsWithdrawnAndForgottenUnlessItHoldsADesiredState() {
    index.gatewayState(
        "ns", birth("gw-1", 1, "esp32-000000000001", "esp32-000000000002", "esp32-000000000003"));
    index.desired("ns", "esp32-000000000003", desired("esp32-000000000003"));

    index.gatewayState("ns", birth("gw-1", 2, "esp32-000000000001"));

    assertThat(index.device("ns", "esp32-000000000002"))
        .as("no desired state: forgotten")
        .isEmpty();
    DeviceEntry held = index.device("ns", "esp32-000000000003").orElseThrow();
    assertThat(held.announcedBy()).isEmpty();
    assertThat(held.desired()).isNotNull();

    index.desired("ns", "esp32-000000000003", null);

    assertThat(index.device("ns", "esp32-000000000003"))
        .as("forgotten once its desired state is retracted")
        .isEmpty();
    assertThat(index.deviceCount()).isEqualTo(1);
  }

  @Test
  void aDeviceAnotherGatewayStillAnnouncesStays() {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));

    index.gatewayState("ns", birth("gw-1", 2));

    assertThat(index.device("ns", "esp32-000000000001").orElseThrow().announcedBy())
        .containsExactly("gw-2");
  }

  @Test
  void aGatewayAnnouncingFreshIdsEveryBirthDoesNotGrowTheIndex() throws InvalidMessageException {
    for (int seq = 1; seq <= 2_000; seq++) {
      index.applyGatewayState(
          "ns",
          birth(
              "gw-1",
              seq,
              String.format("esp32-%012x", 3L * seq),
              String.format("esp32-%012x", 3L * seq + 1),
              String.format("esp32-%012x", 3L * seq + 2)));
    }

    assertThat(index.deviceCount()).isEqualTo(3);
  }

  @Test
  void aBirthPastTheDeviceCapOfAGatewayIsDroppedAndThePreviousStateStays()
      throws InvalidMessageException {
    FleetIndex small = new FleetIndex(clock, new FleetLimits(3, 5, 2, 2, 1000));
    small.applyGatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));

    assertOverLimit(
        () ->
            small.applyGatewayState(
                "ns",
                birth(
                    "gw-1",
                    2,
                    "esp32-000000000001",
                    "esp32-000000000002",
                    "esp32-000000000003",
                    "esp32-000000000004")));

    assertThat(small.gateway("ns", "gw-1").orElseThrow().seq()).isEqualTo(1);
    assertThat(small.deviceCount()).isEqualTo(1);
  }

  @Test
  void namespacesGatewaysAndDevicesPerNamespaceAreCapped() throws InvalidMessageException {
    FleetIndex small = new FleetIndex(clock, new FleetLimits(3, 5, 2, 2, 1000));
    small.applyGatewayState(
        "ns", birth("gw-1", 1, "esp32-000000000001", "esp32-000000000002", "esp32-000000000003"));

    assertOverLimit(
        () ->
            small.applyGatewayState(
                "ns",
                birth(
                    "gw-2", 1, "esp32-000000000004", "esp32-000000000005", "esp32-000000000006")));
    small.applyGatewayState("ns", birth("gw-2", 1, "esp32-000000000004", "esp32-000000000005"));
    assertOverLimit(() -> small.applyGatewayState("ns", birth("gw-3", 1)));
    assertOverLimit(
        () -> small.applyDesired("ns", "esp32-000000000009", desired("esp32-000000000009")));
    small.applyGatewayState("ns-2", birth("gw-1", 1));
    assertOverLimit(() -> small.applyGatewayState("ns-3", birth("gw-1", 1)));
    assertOverLimit(
        () -> small.applyDesired("ns-4", "esp32-000000000009", desired("esp32-000000000009")));

    assertThat(small.deviceCount()).isEqualTo(5);
    assertThat(small.gatewayCount()).isEqualTo(3);
    assertThat(small.namespaces()).containsExactlyInAnyOrder("ns", "ns-2");

    // a gateway swapping its devices for fresh ones frees what it no longer announces
    small.applyGatewayState("ns", birth("gw-2", 2, "esp32-000000000007", "esp32-000000000008"));
    assertThat(small.deviceCount()).isEqualTo(5);
  }

  @Test
  void implausibleCountersAreDroppedAndTheLastGoodReportStays() throws InvalidMessageException {
    String id = "esp32-000000000001";
    index.gatewayState("ns", birth("gw-1", 1, id));
    index.reported("ns", report(id, "gw-1", health(60_000, 1_000, 10)));

    assertImplausible(() -> index.reported("ns", report(id, "gw-1", health(61_000, -1, 0))));
    assertImplausible(
        () -> index.reported("ns", report(id, "gw-1", health(61_000, 1_000_000_000_000L, 10))));
    assertImplausible(
        () -> index.reported("ns", report(id, "gw-1", health(61_000, 1_000 + 20_001L, 10))));
    assertThat(index.device("ns", id).orElseThrow().reported().health().inferences())
        .isEqualTo(1_000);

    index.reported("ns", report(id, "gw-1", health(61_500, 900, 10)));
    assertThat(index.device("ns", id).orElseThrow().reported().health().inferences())
        .as("counters that went back started again (a model activated): taken, as after a reboot")
        .isEqualTo(900);
    assertImplausible(
        () -> index.reported("ns", report(id, "gw-1", health(61_500, 900_000_000L, 10))));

    index.reported("ns", report(id, "gw-1", health(62_000, 1_500, 12)));
    index.reported("ns", report(id, "gw-1", health(1_000, 10, 0)));

    assertThat(index.device("ns", id).orElseThrow().reported().health().inferences())
        .as("a reboot starts the counters again")
        .isEqualTo(10);
  }

  private static void assertOverLimit(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.OVER_LIMIT));
  }

  private static void assertImplausible(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.IMPLAUSIBLE_COUNTER));
  }

  private static DesiredState desired(String device) {
    return new DesiredState(1, device, "group", 1, null, null);
  }

  private static Health health(long uptimeMs, long inferences, long alarms) {
    return Health.builder()
        .uptimeMs(uptimeMs)
        .readings(inferences)
        .telemetryFrames(inferences)
        .inferences(inferences)
        .alarms(alarms)
        .build();
  }

  private static ReportedState report(String device, String gateway, Health health) {
    return new ReportedState(
        1, device, gateway, ReportedState.Link.CONNECTED, 1, null, null, "Idle", null, health);
  }

  @Test
  void twoGatewaysAnnouncingOneDeviceIsVisible() {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));

    DeviceEntry device = index.device("ns", "esp32-000000000001").orElseThrow();
    assertThat(device.announcedTwice()).isTrue();
    assertThat(device.announcedBy()).containsExactly("gw-1", "gw-2");
    assertThat(device.gateway()).isEqualTo("gw-1");
    assertThat(device.laterClaims()).containsExactly("gw-2");
  }

  @Test
  void theFirstGatewayKeepsADeviceAnotherClaimsLater() throws InvalidMessageException {
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-1", 2, "esp32-000000000001"));

    assertThat(index.device("ns", "esp32-000000000001").orElseThrow().gateway()).isEqualTo("gw-2");
    index.reported("ns", report("esp32-000000000001", "gw-2"));
    assertThatThrownBy(() -> index.reported("ns", report("esp32-000000000001", "gw-1")))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.IDENTITY_MISMATCH));

    // the owner stops announcing it: the later claim takes over
    index.gatewayState("ns", birth("gw-2", 2));
    assertThat(index.device("ns", "esp32-000000000001").orElseThrow().gateway()).isEqualTo("gw-1");
    index.reported("ns", report("esp32-000000000001", "gw-1"));
  }

  @Test
  void aDesiredStateRetainedUnderAGatewayMakesItTheOwnerAfterARestart() {
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));

    index.desiredRetainedUnder("ns", "gw-1", "esp32-000000000001", true);

    assertThat(index.device("ns", "esp32-000000000001").orElseThrow().gateway()).isEqualTo("gw-1");
    assertThat(index.desiredGateway("ns", "esp32-000000000001")).contains("gw-1");
    index.desiredRetainedUnder("ns", "gw-3", "esp32-000000000002", true);
    assertThat(index.device("ns", "esp32-000000000002")).isEmpty();
    index.desiredRetainedUnder("ns", "gw-1", "esp32-000000000001", false);
    assertThat(index.desiredGateway("ns", "esp32-000000000001")).isEmpty();
  }

  @Test
  void reportsNeedAnAnnouncedDeviceAndItsOwnGateway() {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));

    assertThatThrownBy(() -> index.reported("ns", report("esp32-00000000ffff", "gw-1")))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.UNKNOWN_DEVICE));
    assertThatThrownBy(() -> index.reported("ns", report("esp32-000000000001", "gw-2")))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.IDENTITY_MISMATCH));
    assertThatThrownBy(() -> index.reported("other-ns", report("esp32-000000000001", "gw-1")))
        .as("namespaces never see each other's devices")
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void listenersHearWhichDevicesChanged() throws InvalidMessageException {
    List<Set<String>> heard = new ArrayList<>();
    index.addListener((ns, devices) -> heard.add(devices));
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001", "esp32-000000000002"));
    index.reported("ns", report("esp32-000000000002", "gw-1"));

    assertThat(heard)
        .containsExactly(
            Set.of("esp32-000000000001", "esp32-000000000002"), Set.of("esp32-000000000002"));
  }

  private static GatewayState birth(String gateway, long seq, String... ids) {
    List<DeviceInfo> devices = new ArrayList<>();
    for (String id : ids) {
      devices.add(
          new DeviceInfo(
              id,
              "esp32",
              "rt-1",
              new Capabilities(List.of(), 1, 1),
              Map.of("fieldproof.io/gateway", gateway)));
    }
    return GatewayState.birth(gateway, seq, "test", devices, 0);
  }

  private static ReportedState report(String device, String gateway) {
    return new ReportedState(
        1, device, gateway, ReportedState.Link.CONNECTED, 1, null, null, "Idle", null, null);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
