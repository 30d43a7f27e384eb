package io.fieldproof.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.LatencyEstimateInfo;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.PowerSpec;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.model.footprint.DutyCycle;
import io.fieldproof.model.footprint.EnergyEstimate;
import io.fieldproof.model.footprint.PowerProfiles;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * Power admission against a real API server, Mosquitto and emulated ESP32 members: the sample pump
 * group (four inputs, a report every 30 s) sampling every 100 ms, so 10 inferences a second.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class PowerBudgetRolloutTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final String MODEL = "dense_anomaly_v2";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final byte[] model = ModelFixtures.model(MODEL);
  private final GroupAwait awaitGroup = new GroupAwait(client, WAIT);

  @Test
  void aGroupOverItsPowerBudgetIsRefusedNamingTheFigureAndNothingIsPublished() throws Exception {
    String ns = plane.createNamespace("power-over-budget");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 930, 2, PUMP_LABELS);
        RetainedTopics retained = RetainedTopics.subscribe(ns)) {
      applyGroup(ns, 5.0);
      awaitGroup.online(ns, 2);
      applyRollout(ns);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(rollout(ns).getStatus()).isNotNull();
                assertThat(rollout(ns).getStatus().phase).isEqualTo(Phase.FAILED);
              });
      ModelRollout refused = rollout(ns);
      assertThat(refused.getStatus().model).isNull();
      var failed = condition(refused, "Failed");
      assertThat(failed.getReason()).isEqualTo("OverPowerBudget");
      assertThat(failed.getMessage())
          .matches(
              "spec\\.model: esp32: [0-9.]+ mW average at 10 inferences/s exceeds the group's"
                  + " budget of 5 mW \\(spec\\.power\\.budgetMilliwatts of DeviceGroup"
                  + " pump-vibration\\)");
      assertThat(condition(refused, "Progressing").getMessage()).startsWith("nothing is flashed");

      String sha = Sha256.hex(model);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(retained.topics()).noneMatch(t -> t.contains("/models/"));
                assertThat(retained.payloads()).noneMatch(p -> p.contains(sha));
              });
      assertThat(gw.emulators()).allMatch(e -> e.slots().activeModel().isEmpty());
    }
  }

  @Test
  void withinTheBudgetStatusModelCarriesTheFiguresOfTheMembersChip() throws Exception {
    String ns = plane.createNamespace("power-within-budget");
    try (EmulatedGateway gw = EmulatedGateway.start(ns, "gw-1", Chip.ESP32, 940, 2, PUMP_LABELS)) {
      applyGroup(ns, 500.0);
      awaitGroup.online(ns, 2);
      applyRollout(ns);

      ModelRollout validated =
          await()
              .atMost(WAIT)
              .until(() -> rollout(ns), r -> r.getStatus() != null && r.getStatus().model != null);
      assertThat(condition(validated, "Validated").getStatus()).isEqualTo("True");
      assertThat(validated.getStatus().model.energy)
          .singleElement()
          .satisfies(
              energy -> {
                assertThat(energy.chip).isEqualTo("esp32");
                EnergyEstimate expected = expected(validated.getStatus().model.latency);
                assertThat(energy.energyPerInferenceMicrojoules)
                    .isCloseTo(expected.energyPerInferenceMicrojoules(), within(0.005));
                assertThat(energy.averagePowerMilliwatts)
                    .isCloseTo(expected.averagePowerMilliwatts(), within(0.0005))
                    .isLessThan(500.0);
              });
    }
  }

  @Test
  void theGroupShowsItsModelsPowerAndABudgetLoweredUnderItDegradesIt() throws Exception {
    String ns = plane.createNamespace("power-group-status");
    byte[] v1 = ModelFixtures.model("dense_anomaly");
    try (EmulatedGateway gw =
        EmulatedGateway.start(
            ns,
            "gw-1",
            Chip.ESP32,
            950,
            2,
            PUMP_LABELS,
            b -> b.activeModel("vibration-anomaly", "1.3.0", v1))) {
      applyGroup(ns, 500.0);
      awaitGroup.online(ns, 2);
      applyRollout(
          ns,
          r -> {
            r.getSpec().strategy.steps = List.of(r.getSpec().strategy.steps.get(4));
            r.getSpec().strategy.maxConcurrent = null;
            r.getSpec().strategy.trial = "2s";
            r.getSpec().gates = null;
          });

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(rollout(ns).getStatus()).isNotNull();
                assertThat(rollout(ns).getStatus().phase).isEqualTo(Phase.SUCCEEDED);
              });
      EnergyEstimate expected = expected(rollout(ns).getStatus().model.latency);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var power = group(ns).getStatus().power;
                assertThat(power).isNotNull();
                assertThat(power.inferencesPerSecond).isEqualTo(10.0);
                assertThat(power.chips)
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.chip).isEqualTo("esp32");
                          assertThat(c.devices).isEqualTo(2);
                          assertThat(c.averagePowerMilliwatts)
                              .isCloseTo(expected.averagePowerMilliwatts(), within(0.0005));
                        });
                assertThat(power.totalMilliwatts)
                    .isCloseTo(2 * expected.averagePowerMilliwatts(), within(0.001));
              });

      client
          .resources(DeviceGroup.class)
          .inNamespace(ns)
          .withName("pump-vibration")
          .edit(
              g -> {
                g.getSpec().power.budgetMilliwatts = 5.0;
                return g;
              });

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                var degraded =
                    group(ns).getStatus().conditions.stream()
                        .filter(c -> c.getType().equals("Degraded"))
                        .findFirst()
                        .orElseThrow();
                assertThat(degraded.getStatus()).isEqualTo("True");
                assertThat(degraded.getReason()).isEqualTo("OverPowerBudget");
                assertThat(degraded.getMessage())
                    .matches(
                        "vibration-anomaly 1\\.4\\.0 on esp32: [0-9.]+ mW average at 10"
                            + " inferences/s exceeds the group's budget of 5 mW");
              });
      assertThat(gw.emulators())
          .as("the model keeps running")
          .allMatch(
              e -> e.slots().activeModel().map(Sha256::hex).orElse("").equals(Sha256.hex(model)));
    }
  }

  private DeviceGroup group(String ns) {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName("pump-vibration").get();
  }

  /** The esp32 figures at 10 inferences/s, a report every 30 s and four inputs. */
  private static EnergyEstimate expected(List<LatencyEstimateInfo> latency) {
    long micros =
        latency.stream().filter(l -> l.chip.equals("esp32")).findFirst().orElseThrow().micros;
    return EnergyEstimate.of(PowerProfiles.ESP32, micros, new DutyCycle(10, 1.0 / 30, 4));
  }

  private void applyGroup(String ns, double budgetMilliwatts) {
    SampleGroups.createPumpVibration(
        client,
        ns,
        group -> {
          group.getSpec().power = new PowerSpec();
          group.getSpec().power.samplingPeriodMilliseconds = 100;
          group.getSpec().power.budgetMilliwatts = budgetMilliwatts;
        });
  }

  private void applyRollout(String ns) {
    applyRollout(ns, r -> {});
  }

  private void applyRollout(String ns, java.util.function.Consumer<ModelRollout> shape) {
    ModelConfigMaps.create(client, ns, "vib-v2", model, ModelFixtures.golden(MODEL));
    ModelRollout rollout =
        client
            .resources(ModelRollout.class)
            .load(ProjectPaths.root().resolve("samples/esp32-vibration/modelrollout.yaml").toFile())
            .item();
    rollout.getMetadata().setName("vib-v2");
    rollout.getSpec().model.sha256 = Sha256.hex(model);
    rollout.getSpec().model.source.configMap.name = "vib-v2";
    rollout.getSpec().model.selfTest.configMap.name = "vib-v2";
    shape.accept(rollout);
    client.resource(rollout).inNamespace(ns).create();
  }

  private ModelRollout rollout(String ns) {
    return client.resources(ModelRollout.class).inNamespace(ns).withName("vib-v2").get();
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(
      ModelRollout rollout, String type) {
    return rollout.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  /** A raw MQTT client holding what the broker retains under one namespace. */
  private static final class RetainedTopics implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, String> byTopic = new ConcurrentHashMap<>();
    private final MqttSession session;

    private RetainedTopics(String namespace) throws java.io.IOException {
      session =
          new MqttSession(
              TestMqttSettings.anonymous(
                  FleetTestResource.broker().uri(),
                  "power-test-" + System.nanoTime(),
                  Duration.ofSeconds(10)),
              null,
              reconnect -> {},
              scheduler);
      session.subscribe(
          Topic.filter(namespace, "#"),
          (topic, payload) -> {
            if (payload.length == 0) {
              byTopic.remove(topic);
            } else {
              byTopic.put(topic, new String(payload, StandardCharsets.UTF_8));
            }
          });
      session.start();
      await().atMost(Duration.ofSeconds(10)).until(session::isConnected);
    }

    static RetainedTopics subscribe(String namespace) throws java.io.IOException {
      return new RetainedTopics(namespace);
    }

    List<String> topics() {
      return List.copyOf(byTopic.keySet());
    }

    List<String> payloads() {
      return List.copyOf(byTopic.values());
    }

    @Override
    public void close() {
      session.close();
      scheduler.shutdownNow();
    }
  }
}
