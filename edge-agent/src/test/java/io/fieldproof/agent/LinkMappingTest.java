package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.capture.CaptureDropReason;
import io.fieldproof.agent.capture.DeviceCaptureCounts;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.protocol.CaptureHealth;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Vitals;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkMappingTest {

  @Test
  void safetyOutcomesAndAlarmEpisodesReachTheReportedHealth() {
    Stats stats =
        new Stats(
            60_000,
            1,
            60,
            60,
            0,
            Map.of(
                "inferences", 50L,
                "alarms", 9L,
                "alarmEpisodes", 2L,
                "fallbackActivations", 3L,
                "fallbackActive", 1L,
                "fallbackActivations.safe-state", 2L,
                "fallbackActivations.suppress", 1L,
                "fallbackAction.safe-state", 1L));

    Health health = LinkMapping.health(stats);

    assertThat(health.alarms()).isEqualTo(9);
    assertThat(health.alarmEpisodes()).isEqualTo(2L);
    assertThat(health.fallbackActivations()).isEqualTo(3);
    assertThat(health.fallbackActivationsByAction())
        .containsExactlyInAnyOrderEntriesOf(Map.of(Health.SAFE_STATE, 2L, Health.SUPPRESS, 1L));
    assertThat(health.fallbackAction()).isEqualTo(Health.SAFE_STATE);
  }

  @Test
  void captureCountersAndTheAgentsUploadsAndDropsReachTheReportedHealth() {
    Stats stats =
        new Stats(
            60_000,
            1,
            60,
            60,
            0,
            Map.of("inferences", 50L, "capturePending", 1L, "captures", 7L, "capturesMissed", 3L));

    Health health =
        LinkMapping.health(
            stats, new DeviceCaptureCounts(4, Map.of("device_budget", 2L, "spool_full", 1L)));

    assertThat(health.capture())
        .isEqualTo(new CaptureHealth(7L, 3L, 4L, Map.of("device_budget", 2L, "spool_full", 1L)));
    assertThat(health.capture().dropped()).isEqualTo(3);
  }

  @Test
  void everyDropReasonFitsWhatTheContractAndTheOperatorAccept() {
    assertThat(CaptureDropReason.values()).hasSizeLessThanOrEqualTo(CaptureHealth.MAX_DROP_REASONS);
    assertThat(CaptureDropReason.values())
        .allSatisfy(reason -> assertThat(reason.label()).matches("[a-z][a-z_]{0,31}"));
  }

  @Test
  void captureIsAbsentWhenNeitherTheDeviceNorTheAgentCountsAny() {
    Stats noCapture = new Stats(60_000, 1, 60, 60, 0, Map.of("inferences", 50L));

    assertThat(LinkMapping.health(noCapture).capture()).isNull();
    assertThat(LinkMapping.health(noCapture, new DeviceCaptureCounts(0, Map.of())).capture())
        .isNull();
    assertThat(
            LinkMapping.health(noCapture, new DeviceCaptureCounts(0, Map.of("no_store", 2L)))
                .capture())
        .isEqualTo(new CaptureHealth(null, null, 0L, Map.of("no_store", 2L)));
    Stats capturing = new Stats(60_000, 1, 60, 60, 0, Map.of("captures", 0L, "capturesMissed", 0L));
    assertThat(LinkMapping.health(capturing).capture())
        .isEqualTo(new CaptureHealth(0L, 0L, null, Map.of()));
  }

  @Test
  void batteryAndLinkReachTheReportedHealthWithTheLinkQualityDerived() {
    Stats esp32 =
        new Stats(
            60_000,
            1,
            60,
            60,
            0,
            Map.of("battery.percent", 64L, "battery.mv", 3876L, "link.rssiDbm", -71L));
    Stats stm32 =
        new Stats(60_000, 1, 60, 60, 0, Map.of("link.errorPermille", 125L, "inferences", 3L));

    Vitals wifi = LinkMapping.health(esp32).vitals();
    Vitals uart = LinkMapping.health(stm32).vitals();

    assertThat(wifi).isEqualTo(new Vitals(64, 3876, 58, -71, null));
    assertThat(uart).isEqualTo(new Vitals(null, null, 88, null, 125));
    assertThat(Vitals.linkQuality(-40, null)).isEqualTo(100);
    assertThat(Vitals.linkQuality(-110, null)).isZero();
    assertThat(Vitals.linkQuality(-60, 500)).as("the lower of both").isEqualTo(50);
    assertThat(LinkMapping.health(new Stats(1, 1, 1, 1, 0, Map.of("inferences", 1L))).vitals())
        .as("a device that reports neither")
        .isNull();
  }

  @Test
  void aDeviceWithoutTheNewCountersReportsThemUnknown() {
    Stats older =
        new Stats(
            60_000,
            1,
            60,
            60,
            0,
            Map.of("inferences", 50L, "alarms", 9L, "fallbackActivations", 3L));

    Health health = LinkMapping.health(older);

    assertThat(health.alarmEpisodes()).isNull();
    assertThat(health.alarmEpisodesOrAlarms()).isEqualTo(9);
    assertThat(health.fallbackActivationsByAction()).isEmpty();
    assertThat(health.fallbackAction()).isNull();
  }

  @Test
  void driftMagnitudesAndDriftingInputsAreRelayedPerInput() {
    Stats stats =
        new Stats(
            60_000,
            1,
            60,
            60,
            0,
            Map.of(
                "driftMilliSigma.temperature_c", 5_012L,
                "driftMilliSigma.accel_rms", 0L,
                "drifting.temperature_c", 1L,
                "steps", 60L));

    Health health = LinkMapping.health(stats);

    assertThat(health.driftingInputs()).containsExactly("temperature_c");
    assertThat(health.driftSigma())
        .containsExactlyInAnyOrderEntriesOf(Map.of("temperature_c", 5.012, "accel_rms", 0.0));
  }

  @Test
  void aDeviceThatReportsNoMagnitudesHasNone() {
    Health health = LinkMapping.health(new Stats(1000, 0, 1, 1, 0, Map.of("drifting.t", 1L)));

    assertThat(health.driftingInputs()).containsExactly("t");
    assertThat(health.driftSigma()).isEmpty();
  }
}
