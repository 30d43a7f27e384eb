package io.fieldproof.operator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.observe.HeadlessChromium;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.testsupport.LocalControlPlane;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fleet page behind the API server's authentication and authorization
 * (fieldproof.fleet-page.auth=kubernetes, the default): ServiceAccounts of the local control plane
 * with and without RBAC, their tokens from TokenRequests, and a page fed hostile strings by a
 * gateway that must show them as text and run none of them.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetPageAccessTest {

  private static final String SUMMARY = "/fleet/api/summary";
  private static final String HOSTILE_DEVICE = "esp32-0badc0ffee01";

  /** Each would change the page's title if it ever ran. */
  private static final String CHIP = "<img src=x onerror=\"document.title='pwned-chip'\">";

  private static final String MODEL = "\"><script>document.title='pwned-model'</script>";
  private static final String VERSION = "<svg onload=\"document.title='pwned-svg'\"></svg>";
  private static final String PHASE =
      "</td><iframe srcdoc=\"<script>parent.document.title='pwned-frame'</script>\"></iframe>";

  private final LocalControlPlane plane = LocalControlPlane.shared();
  private final KubernetesClient client = plane.client();
  private final FleetViewers viewers = new FleetViewers(client);
  private String plantA;
  private String plantB;

  @BeforeAll
  void twoPlantsWithAGroupEach() {
    plantA = plane.createNamespace("access-plant-a");
    plantB = plane.createNamespace("access-plant-b");
    for (String ns : List.of(plantA, plantB)) {
      DeviceGroup group = SampleGroups.pumpVibration(client);
      client.resource(group).inNamespace(ns).serverSideApply();
    }
  }

  /** Once the operator's informers hold both groups (HTTP is up only once a test runs). */
  private void awaitBothPlants() {
    String token = viewers.readingEveryNamespace(plantA, "all-plants");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(summary(token).getList("groups.namespace", String.class))
                    .contains(plantA, plantB));
  }

  @Test
  void withoutABearerTokenTheSummaryIsRefused() {
    given()
        .get(SUMMARY)
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", "Bearer realm=\"fieldproof\"")
        .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(plantA)));
    given().header("Authorization", "Basic dXNlcjpwYXNz").get(SUMMARY).then().statusCode(401);
    given().header("Authorization", "Bearer ").get(SUMMARY).then().statusCode(401);
  }

  @Test
  void aTokenTheApiServerDoesNotAcceptIsRefused() {
    given().header("Authorization", "Bearer not-a-token").get(SUMMARY).then().statusCode(401);
    String real = viewers.readingItsNamespace(plantA, "tampered");
    given()
        .header("Authorization", "Bearer " + real.substring(0, real.length() - 4) + "AAAA")
        .get(SUMMARY)
        .then()
        .statusCode(401);
  }

  @Test
  void aTokenSeesOnlyTheNamespacesItsUserMayListDeviceGroupsIn() {
    awaitBothPlants();
    String token = viewers.readingItsNamespace(plantA, "plant-a-viewer");
    JsonPath all = summary(token);
    assertThat(all.getList("namespaces", String.class)).containsExactly(plantA);
    assertThat(all.getList("groups.namespace", String.class)).containsOnly(plantA).hasSize(1);
    assertThat(all.getInt("totals.groups")).isEqualTo(1);
    assertThat(all.getList("rollouts")).isEmpty();

    JsonPath other = summary(token, plantB);
    assertThat(other.getList("namespaces", String.class)).containsExactly(plantA);
    assertThat(other.getList("groups")).isEmpty();
    assertThat(other.getInt("totals.groups")).isZero();
    assertThat(other.getInt("totals.devices")).isZero();

    assertThat(summary(token, plantA).getList("groups.name", String.class))
        .containsExactly("pump-vibration");
  }

  @Test
  void aTokenWhoseUserMayReadNoNamespaceGetsAnEmptySummary() {
    awaitBothPlants();
    JsonPath none = summary(viewers.withoutRoles(plantB, "nobody"));
    assertThat(none.getList("namespaces")).isEmpty();
    assertThat(none.getList("groups")).isEmpty();
    assertThat(none.getList("rollouts")).isEmpty();
    assertThat(none.getList("devices")).isEmpty();
    assertThat(none.getInt("totals.groups")).isZero();
  }

  @Test
  void aClusterWideReaderSeesEveryNamespace() {
    awaitBothPlants();
    JsonPath all = summary(viewers.readingEveryNamespace(plantB, "everywhere"));
    assertThat(all.getList("namespaces", String.class)).contains(plantA, plantB);
    assertThat(all.getList("groups.namespace", String.class)).contains(plantA, plantB);
  }

  @Test
  void thePageIsPublicButHoldsNoDataAndLetsOnlyItsOwnScriptRun() {
    Response page = given().get("/fleet");
    page.then().statusCode(200).contentType("text/html");
    assertThat(page.asString()).doesNotContain(plantA);
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'none'")
        .contains("script-src 'sha256-")
        .doesNotContain("unsafe-eval")
        .contains("connect-src 'self'");
    assertThat(page.header("Content-Security-Policy").split("script-src")[1].split(";")[0])
        .doesNotContain("unsafe-inline");
  }

  @Test
  void hostileStringsFromAGatewayAreShownAsTextAndNeverRun() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    String ns = plane.createNamespace("access-hostile");
    publishHostileDevice(ns);
    String token = viewers.readingItsNamespace(ns, "hostile-viewer");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonPath s = summary(token, ns);
              assertThat(s.getString("devices[0].chip")).isEqualTo(CHIP);
              assertThat(s.getString("devices[0].model")).isEqualTo(MODEL + " " + VERSION);
              assertThat(s.getString("devices[0].phase")).isEqualTo(PHASE);
            });

    String url =
        "http://127.0.0.1:" + RestAssured.port + "/fleet?namespace=" + ns + "#token=" + token;
    String dom = chromium.dumpDom(url);
    java.nio.file.Path out = java.nio.file.Path.of("target/fleet-page/fleet-page-hostile.html");
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.writeString(out, dom);

    assertThat(dom)
        .as("the page rendered the device at all")
        .contains("data-device=\"" + HOSTILE_DEVICE + "\"")
        .containsPattern("id=\"status\"[^>]*>updated ");
    assertThat(dom)
        .as("no payload ran: the title is the page's own")
        .contains("<title>Fieldproof fleet</title>")
        .doesNotContain("pwned-chip</title>")
        .doesNotContain("pwned-model</title>")
        .doesNotContain("pwned-svg</title>")
        .doesNotContain("pwned-frame</title>");
    assertThat(dom)
        .as("no payload became markup")
        .doesNotContain("<img")
        .doesNotContain("<svg")
        .doesNotContain("<iframe")
        .doesNotContain("<script>document.title");
    assertThat(dom)
        .as("each payload is shown literally, as text")
        .contains(text(CHIP))
        .contains(text(MODEL + " " + VERSION))
        .contains(text(PHASE));
  }

  /** How Chromium serializes a text node holding {@code s}. */
  private static String text(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * A gateway announces one device with a hostile chip and reports a hostile model name, version
   * and update phase: free text in the contract, which the operator passes on to the page.
   */
  private static void publishHostileDevice(String ns) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> birth =
        Map.of(
            "v",
            1,
            "gateway",
            "gw-h",
            "status",
            "online",
            "seq",
            1,
            "agentVersion",
            "test",
            "devices",
            List.of(
                Map.of(
                    "id",
                    HOSTILE_DEVICE,
                    "chip",
                    CHIP,
                    "firmware",
                    "1.0.0",
                    "labels",
                    Map.of("line", "9"))),
            "eventsDropped",
            0);
    Map<String, Object> reported =
        Map.of(
            "v",
            1,
            "device",
            HOSTILE_DEVICE,
            "gateway",
            "gw-h",
            "link",
            "connected",
            "observedGeneration",
            0,
            "slots",
            Map.of(
                "active",
                "A",
                "a",
                Map.of("name", MODEL, "version", VERSION, "sha256", "0".repeat(64), "size", 1)),
            "phase",
            PHASE);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    MqttSession session =
        new MqttSession(
            FleetConnectivityTest.settings("hostile-" + System.nanoTime()),
            null,
            reconnect -> {},
            scheduler);
    try {
      session.start();
      await().atMost(Duration.ofSeconds(10)).until(session::isConnected);
      session
          .publish(Topic.gatewayState(ns, "gw-h").path(), json.writeValueAsBytes(birth), true)
          .get();
      session
          .publish(
              Topic.reported(ns, "gw-h", HOSTILE_DEVICE).path(),
              json.writeValueAsString(reported).getBytes(StandardCharsets.UTF_8),
              true)
          .get();
    } finally {
      session.close();
      scheduler.shutdownNow();
    }
  }

  private static JsonPath summary(String token) {
    return given()
        .header("Authorization", "Bearer " + token)
        .get(SUMMARY)
        .then()
        .statusCode(200)
        .contentType("application/json")
        .extract()
        .jsonPath();
  }

  private static JsonPath summary(String token, String namespace) {
    return given()
        .header("Authorization", "Bearer " + token)
        .queryParam("namespace", namespace)
        .get(SUMMARY)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }
}
