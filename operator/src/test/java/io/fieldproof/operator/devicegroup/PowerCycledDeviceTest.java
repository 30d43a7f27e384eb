package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.ConnectivitySpec;
import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.DeviceGroupStatus;
import io.fieldproof.api.v1alpha1.DeviceSelector;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.rollout.progress.DeviceClassifier;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.RetryBook;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A device power-cycled behind a live gateway (its agent reports it unreachable, or nothing is
 * heard of it for longer than the group's offlineAfter) is counted the same by the DeviceGroup's
 * status and by a ModelRollout's classifier: offline for both, and online again for both once it
 * reports connected. Both read the group's members from one fleet index, as the reconcilers do.
 */
class PowerCycledDeviceTest {

  private static final String NS = "plant-a";
  private static final String GATEWAY = "gw-1";
  private static final String DEVICE = "esp32-000000000001";
  private static final String SHA = "a".repeat(64);
  private static final int OFFLINE_AFTER_SECONDS = 90;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final FleetIndex index = new FleetIndex(clock);
  private final DeviceGroup group = group();
  private final DeviceClassifier classifier =
      new DeviceClassifier(
          new DeviceClassifier.Policy(SHA, 3, Duration.ofMinutes(5)), new RetryBook());

  @Test
  void aDeviceItsGatewayReportsUnreachableIsOfflineForTheGroupAndTheRollout()
      throws InvalidMessageException {
    index.gatewayState(NS, birth());
    index.reported(NS, report(ReportedState.Link.CONNECTED));
    assertCountedAlike(true, DeviceState.PENDING);

    index.reported(NS, report(ReportedState.Link.UNREACHABLE));

    assertCountedAlike(false, DeviceState.OFFLINE);
    assertThat(status().attention)
        .singleElement()
        .satisfies(item -> assertThat(item.reason).isEqualTo("Unreachable"));

    index.reported(NS, report(ReportedState.Link.CONNECTED));

    assertCountedAlike(true, DeviceState.PENDING);
    assertThat(status().attention).isEmpty();
  }

  @Test
  void aDeviceMidUpdateThatLosesPowerIsOfflineForBoth() throws InvalidMessageException {
    index.gatewayState(NS, birth());
    index.desired(NS, DEVICE, desired());
    index.reported(NS, report(ReportedState.Link.CONNECTED));
    assertCountedAlike(true, DeviceState.IN_PROGRESS);

    index.reported(NS, report(ReportedState.Link.UNREACHABLE));

    assertCountedAlike(false, DeviceState.OFFLINE);
  }

  @Test
  void aDeviceSilentForLongerThanOfflineAfterIsOfflineForBothWhileItsGatewayIsUp()
      throws InvalidMessageException {
    index.gatewayState(NS, birth());
    index.reported(NS, report(ReportedState.Link.CONNECTED));

    clock.advance(Duration.ofSeconds(OFFLINE_AFTER_SECONDS - 1));
    assertCountedAlike(true, DeviceState.PENDING);

    clock.advance(Duration.ofSeconds(2));
    assertThat(index.gateway(NS, GATEWAY).orElseThrow().online()).isTrue();
    assertCountedAlike(false, DeviceState.OFFLINE);
    assertThat(status().attention)
        .singleElement()
        .satisfies(item -> assertThat(item.reason).isEqualTo("Offline"));
  }

  /** The group's counts and the rollout's classification of the one device agree. */
  private void assertCountedAlike(boolean online, DeviceState rolloutState) {
    List<Member> members = new MembershipObserver(index).observe(group, List.of(group));
    assertThat(members).hasSize(1);
    DeviceCounts counts = status().devices;
    assertThat(counts.online).as("group: online").isEqualTo(online ? 1 : 0);
    assertThat(counts.offline).as("group: offline").isEqualTo(online ? 0 : 1);
    DeviceState state = classifier.classify(members.get(0), clock.instant()).state();
    assertThat(state).as("rollout: device state").isEqualTo(rolloutState);
    assertThat(state == DeviceState.OFFLINE)
        .as("rollout counts it offline exactly when the group does")
        .isEqualTo(!online);
  }

  private DeviceGroupStatus status() {
    List<Member> members = new MembershipObserver(index).observe(group, List.of(group));
    return new DeviceGroupStatusAggregator()
        .aggregate(
            group,
            new DeviceGroupStatusAggregator.Observation(
                members, List.of(), new GroupRollouts(List.of())),
            clock.instant());
  }

  private static DeviceGroup group() {
    DeviceGroup group = new DeviceGroup();
    group.setMetadata(
        new ObjectMetaBuilder().withName("pumps").withNamespace(NS).withGeneration(1L).build());
    DeviceGroupSpec spec = new DeviceGroupSpec();
    spec.selector = new DeviceSelector();
    spec.selector.matchLabels = Map.of("role", "pump");
    spec.connectivity = new ConnectivitySpec();
    spec.connectivity.offlineAfterSeconds = OFFLINE_AFTER_SECONDS;
    group.setSpec(spec);
    return group;
  }

  private static GatewayState birth() {
    DeviceInfo info =
        new DeviceInfo(DEVICE, "esp32", "rt-1", new Capabilities(List.of(), 1, 1), labels());
    return GatewayState.birth(GATEWAY, 1, "test", List.of(info), 0);
  }

  private static Map<String, String> labels() {
    return Map.of("role", "pump");
  }

  private static ReportedState report(ReportedState.Link link) {
    return new ReportedState(1, DEVICE, GATEWAY, link, 1, null, null, "Idle", null, null);
  }

  private static DesiredState desired() {
    return new DesiredState(
        1,
        DEVICE,
        "pumps",
        1,
        null,
        new ModelRef("vibration-anomaly", "1.4.0", SHA, 1024),
        null,
        null,
        1);
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
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
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
