package io.fieldproof.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private static final Topic GW = Topic.gatewayState("plant-a", "gw-3");
  private static final Topic REPORTED = Topic.reported("plant-a", "gw-3", "esp32-a4cf12e0b3d1");

  @Test
  void gatewayStateRoundTrips() throws InvalidMessageException {
    DeviceInfo device =
        new DeviceInfo(
            "esp32-a4cf12e0b3d1",
            "esp32",
            "fw-2.3.1",
            new Capabilities(List.of("FULLY_CONNECTED", "SOFTMAX"), 98304, 524288),
            Map.of("line", "3"));
    GatewayState birth = GatewayState.birth("gw-3", 7, "0.1.0", List.of(device), 2);

    GatewayState decoded = MessageCodec.decodeGatewayState(GW, MessageCodec.encode(birth));

    assertThat(decoded).isEqualTo(birth);
    assertThat(new String(MessageCodec.encode(birth), StandardCharsets.UTF_8))
        .contains("\"status\":\"online\"");
  }

  @Test
  void reportedStateRoundTrips() throws InvalidMessageException {
    ReportedState state =
        new ReportedState(
            1,
            "esp32-a4cf12e0b3d1",
            "gw-3",
            ReportedState.Link.CONNECTED,
            4,
            null,
            new Slots("A", new ModelRef("vib", "1.3.0", "c".repeat(64), 4096), null),
            "Idle",
            null,
            Health.builder()
                .uptimeMs(1000)
                .readings(10)
                .telemetryFrames(10)
                .sensorFaults(1)
                .sensorFaultsByKind(Map.of("stuck", 1L))
                .build());

    assertThat(MessageCodec.decodeReported(REPORTED, MessageCodec.encode(state))).isEqualTo(state);
  }

  @Test
  void safetyOutcomesAndAlarmEpisodesRoundTripAndAreOptional() throws InvalidMessageException {
    Health health =
        Health.builder()
            .uptimeMs(1000)
            .readings(10)
            .telemetryFrames(10)
            .inferences(8)
            .alarms(5)
            .fallbackActivations(2)
            .fallbackActive(true)
            .alarmEpisodes(2L)
            .fallbackActivationsByAction(Map.of(Health.SAFE_STATE, 1L, Health.ALARM, 1L))
            .fallbackAction(Health.SAFE_STATE)
            .build();
    ReportedState state = reported(health);
    byte[] encoded = MessageCodec.encode(state);
    assertThat(MessageCodec.decodeReported(REPORTED, encoded)).isEqualTo(state);

    String older =
        new String(encoded, StandardCharsets.UTF_8)
            .replace(",\"alarmEpisodes\":2", "")
            .replaceAll(",\"fallbackActivationsByAction\":\\{[^}]*}", "")
            .replace(",\"fallbackAction\":\"safe-state\"", "");
    assertThat(older).doesNotContain("alarmEpisodes").doesNotContain("fallbackAction");
    Health fromOlderAgent =
        MessageCodec.decodeReported(REPORTED, older.getBytes(StandardCharsets.UTF_8)).health();
    assertThat(fromOlderAgent.alarmEpisodes()).isNull();
    assertThat(fromOlderAgent.alarmEpisodesOrAlarms()).isEqualTo(5);
    assertThat(fromOlderAgent.fallbackActivationsByAction()).isEmpty();
    assertThat(fromOlderAgent.fallbackAction()).isNull();
    assertThat(fromOlderAgent.activations(Health.SAFE_STATE)).isZero();
  }

  @Test
  void captureCountersRoundTripAndAreOptional() throws InvalidMessageException {
    Health.Builder counters = Health.builder().uptimeMs(1000).readings(10).telemetryFrames(10);
    Health withCapture =
        counters
            .capture(new CaptureHealth(7L, 2L, 5L, Map.of("device_budget", 1L, "spool_full", 1L)))
            .build();
    ReportedState state = reported(withCapture);
    byte[] encoded = MessageCodec.encode(state);
    assertThat(MessageCodec.decodeReported(REPORTED, encoded)).isEqualTo(state);
    assertThat(new String(encoded, StandardCharsets.UTF_8))
        .contains("\"capture\":{\"captures\":7,\"capturesMissed\":2,\"windowsUploaded\":5");

    String older =
        new String(encoded, StandardCharsets.UTF_8)
            .replaceAll(",\"capture\":\\{[^}]*\\{[^}]*}}", "");
    assertThat(older).doesNotContain("capture");
    Health fromOlderAgent =
        MessageCodec.decodeReported(REPORTED, older.getBytes(StandardCharsets.UTF_8)).health();
    assertThat(fromOlderAgent.capture()).isNull();
    assertThat(fromOlderAgent).isEqualTo(counters.capture(null).build());

    Health deviceOnly = Health.builder().capture(new CaptureHealth(3L, 0L, null, null)).build();
    String json = new String(MessageCodec.encode(reported(deviceOnly)), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("windowsUploaded");
    assertThat(MessageCodec.decodeReported(REPORTED, json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(reported(deviceOnly));
  }

  @Test
  void dropsCaptureCountersOutOfBounds() {
    Map<String, Long> tooManyReasons = new java.util.HashMap<>();
    for (int i = 0; i <= CaptureHealth.MAX_DROP_REASONS; i++) {
      tooManyReasons.put("reason_" + i, 1L);
    }
    assertThatThrownBy(
            () ->
                MessageCodec.decodeReported(
                    REPORTED,
                    MessageCodec.encode(
                        reported(
                            Health.builder()
                                .capture(new CaptureHealth(1L, 0L, 0L, tooManyReasons))
                                .build()))))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DropReason.INVALID_FIELD);
              assertThat(e.getMessage()).contains("health.capture.windowsDropped holds 17 reasons");
            });
    assertThatThrownBy(
            () ->
                MessageCodec.decodeReported(
                    REPORTED,
                    MessageCodec.encode(
                        reported(
                            Health.builder()
                                .capture(new CaptureHealth(-1L, 0L, 0L, Map.of()))
                                .build()))))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("health.capture.captures must not be negative"));
  }

  private static ReportedState reported(Health health) {
    return new ReportedState(
        1,
        "esp32-a4cf12e0b3d1",
        "gw-3",
        ReportedState.Link.CONNECTED,
        4,
        null,
        new Slots("A", new ModelRef("vib", "1.3.0", "c".repeat(64), 4096), null),
        "Idle",
        null,
        health);
  }

  @Test
  void dropsMalformedJson() {
    assertDropped(GW, "{not json", DropReason.MALFORMED_JSON);
    assertDropped(GW, "[1,2]", DropReason.MALFORMED_JSON);
  }

  @Test
  void dropsOversizedPayloadsBeforeParsing() {
    byte[] big = new byte[TopicKind.REPORTED.maxPayloadBytes() + 1];
    assertThatThrownBy(() -> MessageCodec.decodeReported(REPORTED, big))
        .isInstanceOfSatisfying(
            InvalidMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(DropReason.OVERSIZED));
  }

  @Test
  void dropsOtherSchemaVersions() {
    assertDropped(
        GW,
        "{\"v\":2,\"gateway\":\"gw-3\",\"status\":\"online\",\"seq\":1}",
        DropReason.WRONG_SCHEMA_VERSION);
    assertDropped(
        GW,
        "{\"gateway\":\"gw-3\",\"status\":\"online\",\"seq\":1}",
        DropReason.WRONG_SCHEMA_VERSION);
  }

  @Test
  void dropsMissingOrMistypedFields() {
    assertDropped(GW, "{\"v\":1,\"status\":\"online\",\"seq\":1}", DropReason.INVALID_FIELD);
    assertDropped(
        GW,
        "{\"v\":1,\"gateway\":\"gw-3\",\"status\":\"sleeping\",\"seq\":1}",
        DropReason.INVALID_FIELD);
    assertDropped(
        GW,
        "{\"v\":1,\"gateway\":\"gw-3\",\"status\":\"online\",\"seq\":\"x\"}",
        DropReason.INVALID_FIELD);
    assertDropped(
        GW,
        "{\"v\":1,\"gateway\":\"gw-3\",\"status\":\"online\",\"seq\":1,\"devices\":[{\"id\":\"esp32-1\"}]}",
        DropReason.INVALID_FIELD);
  }

  @Test
  void dropsATopicPayloadIdentityMismatch() {
    assertDropped(
        GW,
        "{\"v\":1,\"gateway\":\"gw-4\",\"status\":\"online\",\"seq\":1}",
        DropReason.IDENTITY_MISMATCH);
    assertDropped(
        REPORTED,
        "{\"v\":1,\"device\":\"esp32-000000000000\",\"gateway\":\"gw-3\",\"link\":\"connected\",\"observedGeneration\":1}",
        DropReason.IDENTITY_MISMATCH);
    assertDropped(
        REPORTED,
        "{\"v\":1,\"device\":\"esp32-a4cf12e0b3d1\",\"gateway\":\"gw-4\",\"link\":\"connected\",\"observedGeneration\":1}",
        DropReason.IDENTITY_MISMATCH);
  }

  @Test
  void dropsDeviceIdsAndLabelsOutsideTheGrammar() {
    assertDropped(GW, birth("esp32-A4CF12E0B3D1", "{}"), DropReason.INVALID_FIELD);
    assertDropped(GW, birth("esp32-a4cf12e0b3", "{}"), DropReason.INVALID_FIELD);
    assertDropped(GW, birth("stm32-0031aabbccdd", "{}"), DropReason.INVALID_FIELD);
    assertDropped(GW, birth("esp32-a4cf12e0b3d1", "{\"line\":\"a b\"}"), DropReason.INVALID_FIELD);
    assertDropped(GW, birth("esp32-a4cf12e0b3d1", "{\"-line\":\"3\"}"), DropReason.INVALID_FIELD);
    assertDropped(
        GW, birth("esp32-a4cf12e0b3d1", "{\"Bad_Prefix/x\":\"3\"}"), DropReason.INVALID_FIELD);
    assertDropped(
        GW,
        birth("esp32-a4cf12e0b3d1", "{\"line\":\"" + "x".repeat(64) + "\"}"),
        DropReason.INVALID_FIELD);
  }

  @Test
  void acceptsKubernetesLabels() throws InvalidMessageException {
    GatewayState state =
        MessageCodec.decodeGatewayState(
            GW,
            birth("stm32-0031aabbccddeeff00112233", "{\"example.com/line\":\"3\",\"empty\":\"\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(state.devices().get(0).labels()).containsEntry("example.com/line", "3");
  }

  private static String birth(String device, String labels) {
    return "{\"v\":1,\"gateway\":\"gw-3\",\"status\":\"online\",\"seq\":1,\"devices\":[{\"id\":\""
        + device
        + "\",\"chip\":\"esp32\",\"labels\":"
        + labels
        + "}]}";
  }

  @Test
  void ignoresUnknownFieldsForForwardCompatibility() throws InvalidMessageException {
    GatewayState state =
        MessageCodec.decodeGatewayState(
            GW,
            "{\"v\":1,\"gateway\":\"gw-3\",\"status\":\"offline\",\"seq\":3,\"futureField\":true}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(state.status()).isEqualTo(GatewayState.Status.OFFLINE);
  }

  private static void assertDropped(Topic topic, String payload, DropReason reason) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> {
              if (topic.kind() == TopicKind.GATEWAY_STATE) {
                MessageCodec.decodeGatewayState(topic, bytes);
              } else {
                MessageCodec.decodeReported(topic, bytes);
              }
            })
        .as(payload)
        .isInstanceOfSatisfying(
            InvalidMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
