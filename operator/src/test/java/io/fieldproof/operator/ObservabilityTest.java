package io.fieldproof.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.ModelRollout;
import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.SensorScenario;
import io.fieldproof.operator.observe.HeadlessChromium;
import io.fieldproof.operator.observe.PromQl;
import io.fieldproof.operator.observe.PrometheusScrape;
import io.fieldproof.protocol.Sha256;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the operator shows of a fleet: its Prometheus metrics, the fleet page and its JSON, and the
 * Grafana dashboard over those metrics. One fleet for all: three emulated ESP32 devices of the
 * sample pump group, a rollout paused after its canary, and a stuck sensor on a device the canary
 * did not take.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {

  private static final Map<String, String> PUMP_LABELS = Map.of("line", "3", "sensor", "vibration");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String GROUP = "pump-vibration";
  private static final String ROLLOUT = "vib-canary";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private String ns;
  private EmulatedGateway gateway;
  private String faulty;
  private String token;

  @BeforeAll
  void startAFleetWithAPausedCanary() throws IOException {
    ns = plane.createNamespace("observe");
    token = new FleetViewers(client).readingItsNamespace(ns, "fleet-viewer");
    gateway =
        EmulatedGateway.start(
            ns,
            "gw-1",
            Chip.ESP32,
            900,
            3,
            PUMP_LABELS,
            b ->
                b.activeModel(
                        "vibration-anomaly", "1.3.0", ModelFixtures.bytes("dense_anomaly.tflite"))
                    .battery(70, 0)
                    .link(-60));
    applyGroup();
    await().atMost(WAIT).ignoreExceptions().until(() -> group().getStatus().devices.online == 3);
    ModelConfigMaps.createFromFixture(client, ns, "vib-v2", "dense_anomaly_v2");
    applyRollout();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(this::assertPausedAfterTheCanary);
    DeviceEmulator baseline =
        gateway.emulators().stream()
            .filter(e -> !e.slots().activeModel().map(Sha256::hex).orElse("").equals(v2Sha()))
            .findFirst()
            .orElseThrow();
    faulty = baseline.deviceId();
    baseline.setScenario("accel_rms", SensorScenario.STUCK);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> group().getStatus().devices.sensorFault == 1);
    assertPausedAfterTheCanary();
  }

  private void assertPausedAfterTheCanary() {
    ModelRollout rollout = rollout();
    assertThat(rollout.getStatus().phase).isEqualTo(Phase.PAUSED);
    assertThat(rollout.getStatus().currentStep).isEqualTo(2);
    assertThat(rollout.getStatus().devices.updated).isEqualTo(1);
    assertThat(rollout.getStatus().gates).isNotEmpty();
  }

  @AfterAll
  void stopTheFleet() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void metricsCoverDevicesRolloutsFlashesGatesMqttAndReconciles() {
    Map<String, String> group = Map.of("namespace", ns, "group", GROUP);
    Map<String, String> inNs = Map.of("namespace", ns);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              PrometheusScrape metrics = scrape();
              assertThat(metrics.value("fieldproof_group_devices", with(group, "state", "online")))
                  .isEqualTo(3);
              assertThat(metrics.value("fieldproof_group_devices", with(group, "state", "offline")))
                  .isZero();
              assertThat(
                      metrics.value(
                          "fieldproof_group_devices", with(group, "state", "sensor_fault")))
                  .isEqualTo(1);
              for (String state :
                  List.of("healthy", "unreachable", "fallback", "drifting", "conflict")) {
                assertThat(metrics.find("fieldproof_group_devices", with(group, "state", state)))
                    .as(state)
                    .hasSize(1);
              }
              assertThat(metrics.value("fieldproof_rollouts", with(inNs, "phase", "Paused")))
                  .isEqualTo(1);
              assertThat(metrics.value("fieldproof_rollouts", with(inNs, "phase", "Succeeded")))
                  .isZero();
              assertThat(
                      metrics.value("fieldproof_flashes_total", with(inNs, "result", "confirmed")))
                  .isGreaterThanOrEqualTo(1);
              Map<String, String> alarmGate =
                  Map.of("namespace", ns, "rollout", ROLLOUT, "metric", "alarmRate");
              assertThat(metrics.find("fieldproof_rollout_gate_value", alarmGate)).hasSize(1);
              assertThat(metrics.find("fieldproof_rollout_gate_baseline", alarmGate)).hasSize(1);
              assertThat(
                      metrics.find(
                          "fieldproof_rollout_gate_evaluations_total",
                          Map.of("namespace", ns, "metric", "selfTestFailures")))
                  .isNotEmpty()
                  .allSatisfy(
                      s ->
                          assertThat(s.labels().get("result"))
                              .isIn("Pass", "Fail", "Inconclusive"));
              assertThat(metrics.value("fieldproof_gateways", with(inNs, "state", "online")))
                  .isEqualTo(1);
              assertThat(metrics.value("fieldproof_agent_events_dropped", inNs)).isZero();
              assertThat(metrics.value("fieldproof_mqtt_messages_total", Map.of("kind", "events")))
                  .isPositive();
              assertThat(metrics.find("fieldproof_mqtt_dropped_total", Map.of()))
                  .extracting(s -> s.labels().get("reason"))
                  .contains("unknown_topic", "malformed_json", "oversized");
              for (String controller : List.of("devicegroup", "modelrollout")) {
                Map<String, String> reconciles =
                    Map.of(
                        "controller", controller, "execution", "reconcile", "outcome", "success");
                assertThat(metrics.value("fieldproof_reconcile_duration_seconds_count", reconciles))
                    .as(controller)
                    .isPositive();
                assertThat(metrics.find("fieldproof_reconcile_duration_seconds_bucket", reconciles))
                    .extracting(s -> s.labels().get("le"))
                    .contains("0.005", "1.0", "30.0", "+Inf");
              }
            });
  }

  @Test
  void theSummaryShowsGroupsRolloutsDevicesAndAttention() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonPath summary =
                  given()
                      .header("Authorization", "Bearer " + token)
                      .queryParam("namespace", ns)
                      .get("/fleet/api/summary")
                      .then()
                      .statusCode(200)
                      .contentType("application/json")
                      .extract()
                      .jsonPath();
              assertThat(summary.getList("namespaces", String.class)).contains(ns);
              assertThat(summary.getInt("totals.groups")).isEqualTo(1);
              assertThat(summary.getInt("totals.devices")).isEqualTo(3);
              assertThat(summary.getInt("totals.online")).isEqualTo(3);
              assertThat(summary.getInt("totals.activeRollouts")).isEqualTo(1);
              assertThat(summary.getInt("totals.needAttention")).isEqualTo(1);

              assertThat(summary.getString("groups[0].name")).isEqualTo(GROUP);
              assertThat(summary.getString("groups[0].devices.summary")).isEqualTo("3/3");
              assertThat(summary.getString("groups[0].activeRollout")).isEqualTo(ROLLOUT);
              assertThat(summary.getList("groups[0].conditions.type", String.class))
                  .contains("Ready", "Degraded", "Drifting");
              assertThat(summary.getList("groups[0].models.devices", Integer.class))
                  .containsExactlyInAnyOrder(2, 1);
              assertThat(summary.getString("groups[0].attention[0].device")).isEqualTo(faulty);
              assertThat(summary.getString("groups[0].attention[0].reason"))
                  .isEqualTo("SensorFault");

              assertThat(summary.getString("rollouts[0].name")).isEqualTo(ROLLOUT);
              assertThat(summary.getString("rollouts[0].phase")).isEqualTo("Paused");
              assertThat(summary.getInt("rollouts[0].step")).isEqualTo(2);
              assertThat(summary.getInt("rollouts[0].steps")).isEqualTo(3);
              assertThat(summary.getInt("rollouts[0].devices.targeted")).isEqualTo(3);
              assertThat(summary.getInt("rollouts[0].devices.updated")).isEqualTo(1);
              assertThat(summary.getList("rollouts[0].gates.metric", String.class))
                  .containsExactly("alarmRate", "selfTestFailures");
              assertThat(summary.getDouble("rollouts[0].gates[0].maxRatioToBaseline"))
                  .isEqualTo(50);

              assertThat(summary.getList("devices.id", String.class))
                  .containsExactlyElementsOf(gateway.deviceIds().stream().sorted().toList());
              assertThat(summary.getList("devices.group", String.class)).containsOnly(GROUP);
              assertThat(summary.getList("devices.gateway", String.class)).containsOnly("gw-1");
              assertThat(summary.getList("devices.online", Boolean.class)).containsOnly(true);
              assertThat(summary.getList("devices.model", String.class))
                  .allSatisfy(m -> assertThat(m).startsWith("vibration-anomaly 1."));
              // battery and RSSI as the emulators report them, the quality derived by the agent
              assertThat(summary.getList("devices.battery", Integer.class)).containsOnly(70);
              assertThat(summary.getList("devices.linkQuality", Integer.class)).containsOnly(80);
            });
    given()
        .get("/fleet")
        .then()
        .statusCode(200)
        .contentType("text/html")
        .body(org.hamcrest.Matchers.containsString("<title>Fieldproof fleet</title>"))
        .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("://")));
  }

  @Test
  void theDashboardQueriesOnlyMetricsTheOperatorExposes() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                ProjectPaths.root().resolve("helm/fieldproof/dashboards/fieldproof.json").toFile());
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("__inputs").findValuesAsText("name")).contains("DS_PROMETHEUS");
    Set<String> exposed = scrape().names();

    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${DS_PROMETHEUS}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        expressions.add(variable.path("query").path("query").asText());
      }
    }
    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      Set<String> names = PromQl.metricNames(expression);
      assertThat(names).as(expression).isNotEmpty().allMatch(n -> n.startsWith("fieldproof_"));
      used.addAll(names);
    }
    assertThat(exposed).containsAll(used);
    assertThat(used)
        .contains(
            "fieldproof_group_devices",
            "fieldproof_rollouts",
            "fieldproof_flashes_total",
            "fieldproof_rollout_gate_value",
            "fieldproof_rollout_gate_baseline",
            "fieldproof_mqtt_dropped_total",
            "fieldproof_reconcile_duration_seconds_bucket");
  }

  @Test
  void thePageRendersTheFleetInAHeadlessBrowser() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    // the token travels in the fragment, which the page keeps in sessionStorage
    String url =
        "http://127.0.0.1:" + RestAssured.port + "/fleet?namespace=" + ns + "#token=" + token;
    Path png = Path.of("target/fleet-page/fleet-page.png");
    chromium.screenshot(url, png);
    assertThat(Files.size(png)).isGreaterThan(20_000);

    String dom = chromium.dumpDom(url);
    Files.writeString(png.resolveSibling("fleet-page.html"), dom);
    assertThat(dom).contains("data-group=\"" + GROUP + "\"");
    assertThat(dom).contains("data-rollout=\"" + ROLLOUT + "\"");
    for (String device : gateway.deviceIds()) {
      assertThat(dom).contains("data-device=\"" + device + "\"");
    }
    assertThat(dom)
        .contains("alarmRate")
        .contains("step 2/3")
        .containsPattern("id=\"status\"[^>]*>updated ");
  }

  private PrometheusScrape scrape() {
    return PrometheusScrape.parse(
        given().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new java.util.HashMap<>(labels);
    all.put(key, value);
    return all;
  }

  private void applyGroup() {
    SampleGroups.createPumpVibration(
        client, ns, group -> group.getSpec().inputs.get(0).stuckSamples = 10);
  }

  private void applyRollout() {
    RolloutManifests.create(
        client,
        ns,
        RolloutManifests.pumpVibration(
            ROLLOUT,
            "1.4.0",
            ModelFixtures.bytes("dense_anomaly_v2.tflite"),
            "vib-v2",
            """
            strategy:
              steps: [{setPercent: 33}, {pause: {}}, {setPercent: 100}]
              maxConcurrent: 1
              trial: 2s
            gates:
              minDevices: 1
              rules:
                - {metric: alarmRate, maxRatioToBaseline: 50}
                - {metric: selfTestFailures, max: 0}
            """));
  }

  private static String v2Sha() {
    return Sha256.hex(ModelFixtures.bytes("dense_anomaly_v2.tflite"));
  }

  private DeviceGroup group() {
    return client.resources(DeviceGroup.class).inNamespace(ns).withName(GROUP).get();
  }

  private ModelRollout rollout() {
    return client.resources(ModelRollout.class).inNamespace(ns).withName(ROLLOUT).get();
  }
}
