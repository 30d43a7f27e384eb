package io.fieldproof.agent.capture;

import static io.fieldproof.agent.capture.TestWindows.NOON;
import static io.fieldproof.agent.capture.TestWindows.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.capture.CaptureKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectKeysTest {

  @Test
  void keysAreCaptureKeysAndTheSameForTheSameWindow() {
    CapturedWindow window = window("esp32-000000000001", "pumps", 300, NOON.plusMillis(42));

    String key = ObjectKeys.key("plant-a", window, NOON.plusSeconds(3));

    assertThat(key)
        .isEqualTo(
            "plant-a/pumps/"
                + "ab".repeat(32)
                + "/alarm/esp32-000000000001/"
                + NOON.plusMillis(42).toEpochMilli()
                + "-"
                + CaptureKey.digestOf(window.body())
                + ".json");
    assertThat(CaptureKey.parse(key)).isPresent();
    assertThat(ObjectKeys.key("plant-a", window, NOON.plusSeconds(99))).isEqualTo(key);
  }

  @Test
  void twoWindowsOfTheSameTriggerAndTimeGetTwoKeys() {
    CapturedWindow one = window("esp32-000000000001", "pumps", 300, NOON);
    CapturedWindow other = window("esp32-000000000001", "pumps", 301, NOON);

    assertThat(ObjectKeys.key("plant-a", one, NOON))
        .isNotEqualTo(ObjectKeys.key("plant-a", other, NOON));
  }

  @Test
  void aWindowWithoutTriggerTimeIsKeyedByWhenItWasTakenAndWithoutModelAsNone() {
    CapturedWindow window =
        new CapturedWindow(
            "esp32-000000000002",
            "gw-1",
            "pumps",
            null,
            0,
            "sample",
            null,
            null,
            null,
            null,
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(ObjectKeys.key("plant-a", window, NOON))
        .startsWith("plant-a/pumps/none/sample/esp32-000000000002/" + NOON.toEpochMilli() + "-");
  }

  @ParameterizedTest
  @CsvSource({
    "dev/../1, pumps, alarm",
    "esp32-000000000001, , alarm",
    "esp32-000000000001, Pumps_1, alarm",
    "esp32-000000000001, pumps, reboot",
  })
  void aWindowThatCannotBeNamedInTheBucketIsRefused(String device, String group, String trigger) {
    CapturedWindow odd =
        new CapturedWindow(
            device,
            "gw-1",
            group,
            null,
            0,
            trigger,
            null,
            NOON,
            null,
            null,
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ObjectKeys.key("plant-a", odd, NOON))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataCarriesWhatTheWindowIsAndWhereItComesFrom() {
    CapturedWindow window = window("esp32-000000000001", "pumps", 300, NOON);
    WindowHeader header = WindowHeader.of("k", "plant-a", window, NOON.plusSeconds(1));

    assertThat(ObjectKeys.metadata(header))
        .containsEntry("namespace", "plant-a")
        .containsEntry("device", "esp32-000000000001")
        .containsEntry("gateway", "gw-1")
        .containsEntry("group", "pumps")
        .containsEntry("model-sha256", "ab".repeat(32))
        .containsEntry("config-generation", "7")
        .containsEntry("trigger", "alarm")
        .containsEntry("chip", "esp32")
        .containsEntry("triggered-at", "2026-12-06T12:00:00Z")
        .containsEntry("window-start", "2026-12-06T11:59:55Z")
        .containsEntry("window-end", "2026-12-06T12:00:05Z")
        .containsEntry("accepted-at", "2026-12-06T12:00:01Z");
  }
}
