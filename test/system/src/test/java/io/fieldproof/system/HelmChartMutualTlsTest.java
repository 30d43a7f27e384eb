package io.fieldproof.system;

import static io.fieldproof.system.RenderedChart.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chart's mqtt.tls.clientCert: a kubernetes.io/tls Secret mounted read-only for mutual TLS. */
class HelmChartMutualTlsTest {

  private FieldproofChart chart;

  /** Per test, so that each one reports the skip (or, in CI, the failure) when helm is missing. */
  @BeforeEach
  void chart() {
    chart = FieldproofChart.project();
  }

  @Test
  void theClientCertificateSecretIsMountedReadOnlyAndNamedToTheOperator() {
    RenderedChart rendered =
        chart.render(
            "--set",
            "mqtt.uri=ssl://broker.example.org:8883",
            "--set",
            "mqtt.tls.clientCert.secretName=operator-mqtt-cert");
    JsonNode pod = rendered.operatorPod();
    Map<String, JsonNode> env = rendered.operatorEnv();

    assertThat(env.get("FIELDPROOF_MQTT_CLIENT_CERT_FILE").path("value").asText())
        .isEqualTo("/etc/fieldproof/mqtt-client/tls.crt");
    assertThat(env.get("FIELDPROOF_MQTT_CLIENT_KEY_FILE").path("value").asText())
        .isEqualTo("/etc/fieldproof/mqtt-client/tls.key");
    JsonNode mount = named(pod.at("/containers/0/volumeMounts"), "mqtt-client-cert");
    assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/fieldproof/mqtt-client");
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    JsonNode secret = named(pod.path("volumes"), "mqtt-client-cert").path("secret");
    assertThat(secret.path("secretName").asText()).isEqualTo("operator-mqtt-cert");
    assertThat(secret.path("defaultMode").asInt())
        .as("0440: owner and fsGroup only")
        .isEqualTo(288);
    assertThat(RenderedChart.items(secret.path("items")).map(i -> i.path("key").asText()))
        .containsExactly("tls.crt", "tls.key");
  }

  @Test
  void withoutAClientCertificateNothingIsMounted() {
    RenderedChart rendered = chart.render();

    assertThat(rendered.operatorEnv())
        .doesNotContainKeys("FIELDPROOF_MQTT_CLIENT_CERT_FILE", "FIELDPROOF_MQTT_CLIENT_KEY_FILE");
    assertThat(
            RenderedChart.items(rendered.operatorPod().path("volumes"))
                .map(v -> v.path("name").asText()))
        .doesNotContain("mqtt-client-cert");
  }

  @Test
  void aClientCertificateNeedsAnSslUri() {
    Helm.Result result =
        chart.tryRender("--set", "mqtt.tls.clientCert.secretName=operator-mqtt-cert");

    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("uri");
  }

  @Test
  void aSecretNameThatIsNoKubernetesNameIsRefused() {
    Helm.Result result =
        chart.tryRender(
            "--set",
            "mqtt.uri=ssl://broker.example.org:8883",
            "--set",
            "mqtt.tls.clientCert.secretName=Not_A_Name");

    assertThat(result.ok()).isFalse();
    assertThat(result.stderr()).contains("secretName");
  }
}
