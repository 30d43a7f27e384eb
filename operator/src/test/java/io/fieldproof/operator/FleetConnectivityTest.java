package io.fieldproof.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.RuleCondition;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.mqtt.DesiredCapture;
import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.operator.mqtt.InboundRouter;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Devices made real to the operator: emulated ESP32 and STM32 devices behind real edge agents, a
 * real Mosquitto, the operator against a real API server.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class FleetConnectivityTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();

  @Test
  void membersAreFoundConfiguredAndReported() throws Exception {
    String ns = plane.createNamespace("fleet-members");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 100, 3, PUMP_LABELS);
        EmulatedGateway other =
            EmulatedGateway.start(
                ns, "gw-2", Chip.STM32L4, 200, 2, Map.of("site", "warehouse-north"));
        Retained desired = Retained.watch(ns, "gw/+/dev/+/desired")) {
      applySample(ns, "esp32-vibration/devicegroup.yaml");

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                DeviceGroup group = group(ns, "pump-vibration");
                assertThat(group.getStatus().devices.total).isEqualTo(3);
                assertThat(group.getStatus().devices.online).isEqualTo(3);
                assertThat(group.getStatus().devices.summary).isEqualTo("3/3");
                assertThat(condition(group, "Ready").getStatus()).isEqualTo("True");
                assertThat(condition(group, "Conflict").getStatus()).isEqualTo("False");
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(desired.devices()).containsExactlyInAnyOrderElementsOf(gw.deviceIds());
                for (var emulator : gw.emulators()) {
                  assertThat(emulator.appliedGeneration()).isEqualTo(1L);
                  assertThat(emulator.config().toString())
                      .contains("\"accel_rms\"")
                      .contains("\"temperature_c\"");
                }
              });
      assertThat(desired.get(gw.deviceIds().get(0)).group()).isEqualTo("pump-vibration");
      assertThat(other.emulators()).allSatisfy(e -> assertThat(e.appliedGeneration()).isZero());

      // a merge patch, as kubectl patch sends it: no resourceVersion, so the operator's status
      // writes meanwhile cannot make it conflict
      client
          .resources(DeviceGroup.class)
          .inNamespace(ns)
          .withName("pump-vibration")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"configUpdates\":\"immediate\",\"decision\":{\"threshold\":0.9}}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(gw.emulators())
                      .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(2L)));
    }
  }

  @Test
  void aDeviceSelectedByTwoGroupsIsAConflictOnBoth() throws Exception {
    String ns = plane.createNamespace("fleet-conflict");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 300, 2, PUMP_LABELS)) {
      applySample(ns, "esp32-vibration/devicegroup.yaml");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(gw.emulators())
                      .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(1L)));

      DeviceGroup rival = SampleGroups.pumpVibration(client);
      rival.getMetadata().setName("rival");
      rival.getSpec().selector.matchLabels = Map.of("sensor", "vibration");
      rival.getSpec().selector.matchExpressions = null;
      client.resource(rival).inNamespace(ns).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (String name : new String[] {"pump-vibration", "rival"}) {
                  DeviceGroup group = group(ns, name);
                  assertThat(condition(group, "Conflict").getStatus()).as(name).isEqualTo("True");
                  assertThat(condition(group, "Ready").getReason()).as(name).isEqualTo("Conflict");
                  assertThat(group.getStatus().attention)
                      .extracting(a -> a.reason)
                      .containsOnly("Conflict");
                }
              });
      assertThat(gw.emulators())
          .as("no silent takeover")
          .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(1L));

      client.resources(DeviceGroup.class).inNamespace(ns).withName("rival").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(condition(group(ns, "pump-vibration"), "Conflict").getStatus())
                      .isEqualTo("False"));
    }
  }

  @Test
  void aCrashedGatewayTakesItsDevicesOfflineAndDeletionRetractsDesiredState() throws Exception {
    String ns = plane.createNamespace("fleet-offline");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 400, 2, PUMP_LABELS)) {
      crashAndDelete(ns, gw);
    }
  }

  private void crashAndDelete(String ns, EmulatedGateway gw) throws Exception {
    applySample(ns, "esp32-vibration/devicegroup.yaml");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(group(ns, "pump-vibration").getStatus().devices.online).isEqualTo(2));

    gw.crash();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              DeviceGroup group = group(ns, "pump-vibration");
              assertThat(group.getStatus().devices.offline).isEqualTo(2);
              assertThat(group.getStatus().devices.summary).isEqualTo("0/2");
              assertThat(group.getStatus().attention)
                  .extracting(a -> a.reason)
                  .containsOnly("Offline");
            });

    client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(DeviceGroup.class)
                            .inNamespace(ns)
                            .withName("pump-vibration")
                            .get())
                    .isNull());
    try (Retained desired = Retained.watch(ns, "gw/+/dev/+/desired")) {
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(desired.devices()).isEmpty());
    }
  }

  @Test
  void aDeviceClaimedByASecondGatewayStaysWithTheFirst() throws Exception {
    String ns = plane.createNamespace("fleet-claims");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 700, 1, PUMP_LABELS);
        Retained rogue = Retained.watch(ns, "gw/gw-evil/dev/+/desired")) {
      applySample(ns, "esp32-vibration/devicegroup.yaml");
      String device = gw.deviceIds().get(0);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(gw.emulators().get(0).appliedGeneration()).isEqualTo(1L));

      // another gateway announces the same id, with the operator's reserved labels forged
      rogue.send(
          Topic.gatewayState(ns, "gw-evil").path(),
          "{\"v\":1,\"gateway\":\"gw-evil\",\"status\":\"online\",\"seq\":1,\"devices\":[{\"id\":\""
              + device
              + "\",\"chip\":\"esp32\",\"labels\":{\"line\":\"3\",\"sensor\":\"vibration\","
              + "\"fieldproof.io/gateway\":\"gw-1\"}}]}");
      rogue.send(
          Topic.reported(ns, "gw-evil", device).path(),
          "{\"v\":1,\"device\":\""
              + device
              + "\",\"gateway\":\"gw-evil\",\"link\":\"connected\",\"observedGeneration\":1}");

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                DeviceGroup group = group(ns, "pump-vibration");
                assertThat(group.getStatus().attention)
                    .anySatisfy(
                        item -> {
                          assertThat(item.reason).isEqualTo("ClaimedByAnotherGateway");
                          assertThat(item.gateway).isEqualTo("gw-1");
                          assertThat(item.message).contains("gw-evil");
                        });
                assertThat(condition(group, "Conflict").getStatus()).isEqualTo("False");
                String metrics =
                    given().when().get("/q/metrics").then().statusCode(200).extract().asString();
                assertThat(metrics)
                    .containsPattern(
                        "fieldproof_mqtt_ignored_total\\{[^}]*reason=\"later_claim\"[^}]*\\} [1-9]")
                    .containsPattern(
                        "fieldproof_mqtt_ignored_total\\{[^}]*reason=\"reserved_label\"[^}]*\\} [1-9]");
              });

      // the real device keeps being configured through its own gateway
      // the operator writes the group's status meanwhile: an edit may meet a newer version
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(
              () ->
                  client
                          .resources(DeviceGroup.class)
                          .inNamespace(ns)
                          .withName("pump-vibration")
                          .edit(
                              g -> {
                                // sent to every device at once: the group opts out of staging
                                g.getSpec().configUpdates = DeviceGroupSpec.ConfigUpdates.IMMEDIATE;
                                g.getSpec().decision.threshold = 0.9;
                                return g;
                              })
                      != null);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(gw.emulators().get(0).appliedGeneration()).isEqualTo(2L));
      assertThat(rogue.devices()).as("nothing is published under the later claimant").isEmpty();
    }
  }

  @Test
  void badMessagesAreDroppedCountedAndChangeNothing() throws Exception {
    String ns = plane.createNamespace("fleet-bad-input");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 500, 1, PUMP_LABELS);
        Retained publisher = Retained.watch(ns, "gw/+/state")) {
      applySample(ns, "esp32-vibration/devicegroup.yaml");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(group(ns, "pump-vibration").getStatus().devices.online).isEqualTo(1));
      String device = gw.deviceIds().get(0);

      publisher.send(Topic.gatewayState(ns, "gw-9").path(), "{not json");
      publisher.send(
          Topic.gatewayState(ns, "gw-9").path(),
          "{\"v\":7,\"gateway\":\"gw-9\",\"status\":\"online\",\"seq\":1}");
      publisher.send(
          Topic.gatewayState(ns, "gw-9").path(),
          "{\"v\":1,\"gateway\":\"gw-8\",\"status\":\"online\",\"seq\":1}");
      publisher.send(
          Topic.reported(ns, "gw-9", "esp32-ffffffffffff").path(),
          "{\"v\":1,\"device\":\"esp32-ffffffffffff\",\"gateway\":\"gw-9\",\"link\":\"connected\",\"observedGeneration\":1}");
      publisher.send(
          Topic.reported(ns, "gw-1", device).path(),
          "{\"v\":1,\"device\":\""
              + device
              + "\",\"gateway\":\"gw-evil\",\"link\":\"connected\",\"observedGeneration\":1}");
      publisher.send(Topic.reported(ns, "gw-1", device).path(), "x".repeat(40_000));
      publisher.send(Topic.filter(ns, "gw/gw-1/dev/" + device + "/nonsense"), "{}");

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                String metrics =
                    given().when().get("/q/metrics").then().statusCode(200).extract().asString();
                for (String reason :
                    new String[] {
                      "malformed_json",
                      "wrong_schema_version",
                      "identity_mismatch",
                      "unknown_device",
                      "oversized"
                    }) {
                  assertThat(metrics)
                      .containsPattern(
                          "fieldproof_mqtt_dropped_total\\{[^}]*reason=\""
                              + reason
                              + "\"[^}]*\\} [1-9]");
                }
              });
      gw.emulators()
          .get(0)
          .setScenario("accel_rms", io.fieldproof.device.emulator.SensorScenario.NOISE);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                DeviceGroup group = group(ns, "pump-vibration");
                assertThat(group.getStatus().devices.online).isEqualTo(1);
                assertThat(condition(group, "Ready").getStatus()).isEqualTo("True");
              });
    }
  }

  @Test
  void stuckAndDriftingSensorsShowInTheGroupStatus() throws Exception {
    String ns = plane.createNamespace("fleet-health");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 700, 3, PUMP_LABELS)) {
      DeviceGroup group = SampleGroups.pumpVibration(client);
      group.getSpec().inputs.get(0).stuckSamples = 10;
      group.getSpec().drift.window = "20s";
      group.getSpec().health.maxSensorFaultPercent = 50.0;
      client.resource(group).inNamespace(ns).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(gw.emulators())
                    .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(1L));
                assertThat(condition(group(ns, "pump-vibration"), "Ready").getStatus())
                    .isEqualTo("True");
              });

      gw.emulators()
          .get(0)
          .setScenario("accel_rms", io.fieldproof.device.emulator.SensorScenario.STUCK);
      // drift is measured against the training reference (mean 12.5 A, std 3 A): the mean moves
      // 0.06 A a reading and passes 3 deviations after about 150 readings
      gw.emulators()
          .get(1)
          .setScenario("motor_current_a", io.fieldproof.device.emulator.SensorScenario.DRIFT);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                DeviceGroup status = group(ns, "pump-vibration");
                assertThat(status.getStatus().devices.sensorFault).isEqualTo(1);
                assertThat(status.getStatus().devices.drifting).isEqualTo(1);
                assertThat(status.getStatus().devices.healthy).isEqualTo(1);
                assertThat(condition(status, "Drifting").getStatus()).isEqualTo("True");
                assertThat(status.getStatus().attention)
                    .extracting(a -> a.device + " " + a.reason)
                    .containsExactlyInAnyOrder(
                        gw.deviceIds().get(0) + " SensorFault",
                        gw.deviceIds().get(1) + " Drifting");
              });
    }
  }

  /**
   * A rule beyond the input's valid range (temperature_c > 125, valid up to 125) is delivered, and
   * the device fires it on the raw reading; its safe-state activations reach the group's status and
   * the attention list, and stay counted once the device leaves the safe state.
   */
  @Test
  void safeStateActivationsShowInTheGroupStatusAndAttention() throws Exception {
    String ns = plane.createNamespace("fleet-safety");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 800, 2, PUMP_LABELS)) {
      DeviceGroup group = SampleGroups.pumpVibration(client);
      FallbackRule overRange = new FallbackRule();
      overRange.name = "over-range-heat";
      overRange.when = FallbackRule.When.INPUTS_INVALID;
      RuleCondition hot = new RuleCondition();
      hot.input = "temperature_c";
      hot.op = RuleCondition.Op.GT;
      hot.value = 125.0;
      overRange.all = List.of(hot);
      overRange.action = FallbackRule.Action.SAFE_STATE;
      List<FallbackRule> rules = new ArrayList<>(List.of(overRange));
      rules.addAll(group.getSpec().fallback.rules);
      group.getSpec().fallback.rules = rules;
      group.getSpec().health.maxFallbackPercent = 50.0;
      group.getSpec().health.maxSensorFaultPercent = 50.0;
      group.getSpec().telemetry.reportIntervalSeconds = 5;
      client.resource(group).inNamespace(ns).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(gw.emulators())
                    .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(1L));
                assertThat(condition(group(ns, "pump-vibration"), "Ready").getStatus())
                    .isEqualTo("True");
              });
      String hotDevice = gw.deviceIds().get(0);

      gw.emulators().get(0).holdReading("temperature_c", 150.0);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                DeviceGroup status = group(ns, "pump-vibration");
                assertThat(status.getStatus().devices.safeState).isEqualTo(1);
                assertThat(status.getStatus().fallbackActivations.safeState).isEqualTo(1);
                assertThat(status.getStatus().attention)
                    .extracting(a -> a.device + " " + a.reason)
                    .containsExactly(hotDevice + " SafeState");
              });

      gw.emulators().get(0).releaseReading("temperature_c");

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                DeviceGroup status = group(ns, "pump-vibration");
                assertThat(status.getStatus().devices.safeState).isZero();
                assertThat(status.getStatus().fallbackActivations.safeState)
                    .as("activations since boot stay counted")
                    .isEqualTo(1);
                assertThat(status.getStatus().attention).isEmpty();
              });
    }
  }

  @Test
  void aSensorInstalledWithAnOffsetFromTheTrainingReferenceShowsAsDriftingWithItsMagnitude()
      throws Exception {
    String ns = plane.createNamespace("fleet-drift");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 800, 3, PUMP_LABELS)) {
      // installed unlike the lab: its readings sit 5 reference deviations above the training
      // mean from the first one on, so no baseline of its own would ever call it drifting
      gw.emulators()
          .get(2)
          .setScenario("motor_current_a", io.fieldproof.device.emulator.SensorScenario.OFFSET);
      DeviceGroup group = SampleGroups.pumpVibration(client);
      group.getSpec().drift.window = "20s";
      client.resource(group).inNamespace(ns).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                DeviceGroup status = group(ns, "pump-vibration");
                assertThat(status.getStatus().devices.drifting).isEqualTo(1);
                assertThat(condition(status, "Drifting").getStatus()).isEqualTo("True");
                assertThat(condition(status, "Drifting").getMessage())
                    .contains("motor_current_a on 1");
                assertThat(status.getStatus().attention)
                    .extracting(a -> a.device + " " + a.reason)
                    .containsExactly(gw.deviceIds().get(2) + " Drifting");
                assertThat(status.getStatus().drift)
                    .extracting(d -> d.input)
                    .containsExactly(
                        "accel_rms", "accel_peak_g", "temperature_c", "motor_current_a");
                var current = status.getStatus().drift.get(3);
                assertThat(current.devices).isEqualTo(3);
                assertThat(current.drifting).isEqualTo(1);
                assertThat(current.maxSigma).isBetween(4.5, 5.5);
                assertThat(current.p95Sigma).isBetween(4.5, 5.5);
                assertThat(status.getStatus().drift.subList(0, 3))
                    .allSatisfy(
                        d -> {
                          assertThat(d.devices).isEqualTo(3);
                          assertThat(d.drifting).isZero();
                          assertThat(d.maxSigma).isLessThan(0.5);
                        });
              });
    }
  }

  @Test
  void theIndexIsRebuiltFromRetainedMessagesAlone() throws Exception {
    String ns = plane.createNamespace("fleet-rebuild");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 600, 3, PUMP_LABELS)) {
      applySample(ns, "esp32-vibration/devicegroup.yaml");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(gw.emulators())
                      .allSatisfy(e -> assertThat(e.appliedGeneration()).isEqualTo(1L)));
      var scheduler = Executors.newSingleThreadScheduledExecutor();
      FleetIndex fresh = new FleetIndex(Clock.systemUTC());
      InboundRouter router =
          new InboundRouter(
              fresh, new InboundMetrics(new SimpleMeterRegistry()), new DesiredCapture());
      try (MqttSession session =
          new MqttSession(settings("rebuild-check"), null, reconnect -> {}, scheduler)) {
        session.subscribe(Topic.filter(ns, "gw/+/state"), router::accept);
        session.subscribe(Topic.filter(ns, "gw/+/dev/+/desired"), router::accept);
        session.subscribe(Topic.filter(ns, "gw/+/dev/+/reported"), router::accept);
        session.start();
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  assertThat(fresh.devices(ns)).hasSize(3);
                  assertThat(fresh.devices(ns))
                      .allSatisfy(
                          entry -> {
                            assertThat(entry.info().labels())
                                .containsEntry("fieldproof.io/gateway", "gw-1");
                            assertThat(entry.reported())
                                .extracting(ReportedState::observedGeneration)
                                .isEqualTo(1L);
                            assertThat(entry.desired())
                                .extracting(DesiredState::group)
                                .isEqualTo("pump-vibration");
                            assertThat(
                                    TestSigning.verifier().check(ns, entry.id(), entry.desired()))
                                .as("the retained desired state verifies with the public key")
                                .isEmpty();
                          });
                });
      } finally {
        scheduler.shutdownNow();
      }
    }
  }

  private void applySample(String ns, String file) {
    plane
        .kubectl()
        .run(
            "apply",
            "--server-side",
            "-n",
            ns,
            "-f",
            ProjectPaths.root().resolve("samples").resolve(file).toString());
  }

  private DeviceGroup group(String ns, String name) {
    DeviceGroup group = client.resources(DeviceGroup.class).inNamespace(ns).withName(name).get();
    assertThat(group.getStatus()).as("status of " + name).isNotNull();
    return group;
  }

  private static Condition condition(DeviceGroup group, String type) {
    return group.getStatus().conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  static MqttSettings settings(String clientId) {
    return TestMqttSettings.anonymous(
        FleetTestResource.broker().uri(), clientId, Duration.ofSeconds(10));
  }

  /** A test client that collects the retained desired states under a filter, and can publish. */
  static final class Retained implements AutoCloseable {
    private final Map<String, DesiredState> byDevice = new ConcurrentHashMap<>();
    private final MqttSession session;
    private final java.util.concurrent.ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor();

    private Retained(String ns, String suffix) throws java.io.IOException {
      session =
          new MqttSession(settings("test-" + System.nanoTime()), null, reconnect -> {}, scheduler);
      session.subscribe(Topic.filter(ns, suffix), this::accept);
      session.start();
      await().atMost(Duration.ofSeconds(10)).until(session::isConnected);
    }

    static Retained watch(String ns, String suffix) throws java.io.IOException {
      return new Retained(ns, suffix);
    }

    private void accept(String path, byte[] payload) {
      Topic topic = Topic.parse(path).orElse(null);
      if (topic == null || topic.device() == null || !path.endsWith("/desired")) {
        return;
      }
      if (payload.length == 0) {
        byDevice.remove(topic.device());
        return;
      }
      try {
        byDevice.put(topic.device(), MessageCodec.decodeDesired(topic, payload));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    java.util.Set<String> devices() {
      return byDevice.keySet();
    }

    DesiredState get(String device) {
      return byDevice.get(device);
    }

    void send(String topic, String payload) throws Exception {
      session.publish(topic, payload.getBytes(StandardCharsets.UTF_8), false).get();
    }

    @Override
    public void close() {
      session.close();
      scheduler.shutdownNow();
    }
  }
}
