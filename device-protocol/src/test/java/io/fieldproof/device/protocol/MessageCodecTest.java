package io.fieldproof.device.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  @Test
  void writesHelloAsTheDocumentedCompactJson() {
    Hello hello =
        new Hello(
            "esp32-a4cf12000001",
            "esp32",
            "1.0.0",
            Hello.RUNTIME_V2,
            new Capabilities(List.of("ADD"), 98304, 524288),
            new SlotTable("A", new ModelRef("m", "1.0.0", "ab", 10), null, "VALID"));

    String json = new String(MessageCodec.write(hello), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"deviceId\":\"esp32-a4cf12000001\",\"chip\":\"esp32\",\"firmware\":\"1.0.0\","
                + "\"runtime\":\"fieldproof-rt/2\",\"capabilities\":{\"operators\":[\"ADD\"],"
                + "\"arenaBytes\":98304,\"slotBytes\":524288},\"slots\":{\"active\":\"A\","
                + "\"a\":{\"name\":\"m\",\"version\":\"1.0.0\",\"sha256\":\"ab\",\"size\":10},"
                + "\"b\":null,\"activeState\":\"VALID\",\"otherState\":null}}");
  }

  @Test
  void roundTripsTelemetryWithDropouts() throws MalformedBodyException {
    Map<String, Double> readings = new LinkedHashMap<>();
    readings.put("temperature_c", 21.5);
    readings.put("accel_rms", null);

    Telemetry read =
        MessageCodec.read(MessageCodec.write(new Telemetry(7, 1000, readings)), Telemetry.class);

    assertThat(read.seq()).isEqualTo(7);
    assertThat(read.readings())
        .containsEntry("temperature_c", 21.5)
        .containsEntry("accel_rms", null);
  }

  @Test
  void ignoresUnknownFieldsFromNewerFirmware() throws MalformedBodyException {
    byte[] body = "{\"appliedGeneration\":4,\"future\":true}".getBytes(StandardCharsets.UTF_8);

    assertThat(MessageCodec.read(body, ConfigApplied.class).appliedGeneration()).isEqualTo(4);
  }

  @Test
  void rejectsTrailingBytesMissingFieldsAndNonJson() {
    assertThatThrownBy(
            () -> MessageCodec.read(bytes("{\"appliedGeneration\":4} x"), ConfigApplied.class))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(() -> MessageCodec.read(bytes("{\"deviceId\":\"x\"}"), Hello.class))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(() -> MessageCodec.read(bytes("\u00ff\u0000"), Stats.class))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(() -> MessageCodec.read(bytes("null"), Stats.class))
        .isInstanceOf(MalformedBodyException.class);
  }

  @Test
  void readsAnEmptyBodyAsAMissingTree() throws MalformedBodyException {
    assertThat(MessageCodec.readTree(new byte[0]).isMissingNode()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
