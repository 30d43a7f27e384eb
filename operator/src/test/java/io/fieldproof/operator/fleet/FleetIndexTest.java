package io.fieldproof.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
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
  void aDeviceLeftOutOfANewBirthIsWithdrawnFromThatGateway() {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001", "esp32-000000000002"));

    index.gatewayState("ns", birth("gw-1", 2, "esp32-000000000001"));

    assertThat(index.device("ns", "esp32-000000000002").orElseThrow().announcedBy()).isEmpty();
  }

  @Test
  void twoGatewaysAnnouncingOneDeviceIsVisible() {
    index.gatewayState("ns", birth("gw-1", 1, "esp32-000000000001"));
    index.gatewayState("ns", birth("gw-2", 1, "esp32-000000000001"));

    DeviceEntry device = index.device("ns", "esp32-000000000001").orElseThrow();
    assertThat(device.announcedTwice()).isTrue();
    assertThat(device.announcedBy()).containsExactlyInAnyOrder("gw-1", "gw-2");
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
