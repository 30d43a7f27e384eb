package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.CaptureSpec;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.GroupCapture;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Capture seen from the cluster: the sample pump group captures a sample window now and then on two
 * emulated devices behind a real agent whose config names no capture store. The devices' capture
 * counters and the agent's drops (no_store) reach the group's status.capture, through the agent's
 * reports, the operator's fleet index and its status write.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class CaptureStatusTest {

  private static final Duration WAIT = Duration.ofSeconds(120);

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void theMembersCapturesAndTheAgentsDropsShowInTheGroupsStatus() throws Exception {
    String ns = plane.createNamespace("capture-status");
    try (EmulatedGateway gw =
        EmulatedGateway.start(
            ns, "gw-capture", Chip.ESP32, 700, 2, Map.of("line", "3", "sensor", "vibration"))) {
      SampleGroups.createPumpVibration(
          client,
          ns,
          group -> {
            group.getSpec().telemetry.reportIntervalSeconds = 1;
            group.getSpec().capture = new CaptureSpec();
            group.getSpec().capture.enabled = true;
            group.getSpec().capture.triggers = List.of();
            group.getSpec().capture.sampleOneIn = 5L;
            group.getSpec().capture.windowBefore = 2;
            group.getSpec().capture.windowAfter = 2;
          });
      new GroupAwait(client, WAIT).online(ns, 2);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                GroupCapture capture = group(ns).getStatus().capture;
                assertThat(capture).isNotNull();
                assertThat(capture.devicesCapturing).isEqualTo(2);
                assertThat(capture.windowsCaptured).isGreaterThanOrEqualTo(2);
                assertThat(capture.windowsUploaded).isZero();
                assertThat(capture.windowsDropped).containsOnlyKeys("no_store");
                assertThat(capture.windowsDropped.get("no_store")).isGreaterThanOrEqualTo(2);
              });
    }
  }

  private DeviceGroup group(String ns) {
    return client
        .resources(DeviceGroup.class)
        .inNamespace(ns)
        .withName(SampleGroups.PUMP_VIBRATION)
        .get();
  }
}
