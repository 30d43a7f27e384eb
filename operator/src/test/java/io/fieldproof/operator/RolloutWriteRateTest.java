package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.UpdateAttempt;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rollout over a fleet much larger than its status write budget: 300 devices announced by a
 * simulated gateway that answers each desired model with a confirmed update a moment later. The
 * rollout succeeds, and its status is written a bounded number of times, coalesced over the fleet
 * events, not once per device.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class RolloutWriteRateTest {

  private static final int DEVICES = 300;
  private static final String GATEWAY = "gw-sim";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Map<String, ModelRef> running = new ConcurrentHashMap<>();
  private final ModelRef v1 = ref("dense_anomaly.tflite", "1.3.0");
  private final ModelRef v2 = ref("dense_anomaly_v2.tflite", "1.4.0");

  @Test
  void aRolloutOverThreeHundredDevicesWritesItsStatusAFewTimesNotOncePerDevice() throws Exception {
    String ns = plane.createNamespace("rollout-writes");
    try (MqttSession gateway =
        new MqttSession(
            FleetConnectivityTest.settings("sim-gateway"), null, reconnect -> {}, scheduler)) {
      gateway.start();
      await().atMost(Duration.ofSeconds(10)).until(gateway::isConnected);
      gateway.subscribe(
          Topic.filter(ns, "gw/+/dev/+/desired"),
          (topic, payload) -> {
            answer(gateway, ns, topic, payload);
          });
      announce(gateway, ns);
      SampleGroups.createPumpVibration(client, ns, group -> {});
      new GroupAwait(client, Duration.ofSeconds(60)).online(ns, DEVICES);

      Set<String> versions = ConcurrentHashMap.newKeySet();
      try (Watch watch = watchStatusWrites(ns, versions)) {
        createRollout(ns);
        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> {
                  ModelRollout rollout =
                      client.resources(ModelRollout.class).inNamespace(ns).withName("vib").get();
                  assertThat(rollout.getStatus()).isNotNull();
                  assertThat(rollout.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
                  assertThat(rollout.getStatus().devices.updated).isEqualTo(DEVICES);
                });
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(versions.size())
                        .as("status writes once the rollout succeeded")
                        .isLessThanOrEqualTo(40));
      }
      assertThat(running.values()).filteredOn(v2::equals).hasSize(DEVICES);
      System.out.printf("rollout over %d devices: %d status writes%n", DEVICES, versions.size());
      assertThat(versions.size())
          .as("status writes of a rollout over %d devices", DEVICES)
          .isBetween(2, 40);
    } finally {
      scheduler.shutdownNow();
    }
  }

  /** Every resourceVersion the rollout goes through: each is one write. */
  private Watch watchStatusWrites(String ns, Set<String> versions) {
    return client
        .resources(ModelRollout.class)
        .inNamespace(ns)
        .withName("vib")
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, ModelRollout rollout) {
                versions.add(rollout.getMetadata().getResourceVersion());
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private void announce(MqttSession gateway, String ns) {
    List<DeviceInfo> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      String id = String.format("esp32-%012x", i);
      devices.add(
          new DeviceInfo(
              id,
              "esp32",
              "rt-2",
              new Capabilities(List.of("FULLY_CONNECTED", "LOGISTIC"), 98_304, 524_288),
              Map.of("line", "3", "sensor", "vibration", DeviceInfo.CHIP_LABEL, "esp32")));
      running.put(id, v1);
    }
    gateway
        .publish(
            Topic.gatewayState(ns, GATEWAY).path(),
            MessageCodec.encode(GatewayState.birth(GATEWAY, 1, "sim", devices, 0)),
            true)
        .join();
    running.keySet().forEach(id -> report(gateway, ns, id, "Idle", null));
  }

  /** A desired state naming another model: confirmed 200 ms later, as a quick agent would. */
  private void answer(MqttSession gateway, String ns, String topic, byte[] payload) {
    if (payload.length == 0) {
      return;
    }
    try {
      DesiredState desired = MessageCodec.decodeDesired(Topic.parse(topic).orElseThrow(), payload);
      if (desired.model() == null || desired.model().equals(running.get(desired.device()))) {
        return;
      }
      scheduler.schedule(
          () -> {
            running.put(desired.device(), desired.model());
            report(
                gateway,
                ns,
                desired.device(),
                "Confirmed",
                new UpdateAttempt(
                    desired.model().sha256(),
                    desired.generation(),
                    desired.attempt() == null ? 1 : desired.attempt()));
          },
          200,
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void report(
      MqttSession gateway, String ns, String device, String phase, UpdateAttempt update) {
    ReportedState state =
        new ReportedState(
            Message.VERSION,
            device,
            GATEWAY,
            ReportedState.Link.CONNECTED,
            1,
            null,
            new Slots("B", v1, running.get(device), "VALID"),
            phase,
            null,
            Health.builder()
                .uptimeMs(60_000)
                .readings(600)
                .telemetryFrames(60)
                .inferences(600)
                .latencyP95Ms(4.0)
                .build(),
            update);
    gateway.publish(Topic.reported(ns, GATEWAY, device).path(), MessageCodec.encode(state), true);
  }

  private void createRollout(String ns) throws Exception {
    byte[] model = ModelFixtures.bytes("dense_anomaly_v2.tflite");
    ModelConfigMaps.create(client, ns, "vib-v2", model, null);
    String yaml =
        """
        apiVersion: fieldproof.io/v1alpha1
        kind: ModelRollout
        metadata: {name: vib}
        spec:
          deviceGroup: pump-vibration
          model:
            name: vibration-anomaly
            version: 1.4.0
            sha256: %s
            source: {configMap: {name: vib-v2, key: model.tflite}}
          strategy:
            steps: [{setPercent: 10}, {setPercent: 50}, {setPercent: 100}]
            maxConcurrent: 20%%
        """
            .formatted(Sha256.hex(model));
    RolloutManifests.create(client, ns, yaml);
  }

  private static ModelRef ref(String file, String version) {
    byte[] model = ModelFixtures.bytes(file);
    return new ModelRef("vibration-anomaly", version, Sha256.hex(model), model.length);
  }
}
