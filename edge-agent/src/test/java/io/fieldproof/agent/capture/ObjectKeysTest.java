package io.fieldproof.agent.capture;

import static io.fieldproof.agent.capture.TestWindows.NOON;
import static io.fieldproof.agent.capture.TestWindows.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

  @Test
  void keysFollowTheLayoutAndAreTheSameForTheSameWindow() {
    CapturedWindow window = window("dev-1", "pumps", 300, NOON.plusMillis(42));

    String key = ObjectKeys.key("plant-a", window, NOON.plusSeconds(3));

    assertThat(key)
        .matches("plant-a/pumps/dev-1/2026-12-06/20261206T120000\\.042Z-alarm-[0-9a-f]{12}\\.json");
    assertThat(ObjectKeys.key("plant-a", window, NOON.plusSeconds(99))).isEqualTo(key);
  }

  @Test
  void twoWindowsOfTheSameTriggerAndTimeGetTwoKeys() {
    CapturedWindow one = window("dev-1", "pumps", 300, NOON);
    CapturedWindow other = window("dev-1", "pumps", 301, NOON);

    assertThat(ObjectKeys.key("plant-a", one, NOON))
        .isNotEqualTo(ObjectKeys.key("plant-a", other, NOON));
  }

  @Test
  void partsOutsideTheKeyAlphabetAreReplacedAndAMissingGroupIsNamed() {
    CapturedWindow odd =
        new CapturedWindow(
            "dev/../1",
            "gw-1",
            null,
            null,
            0,
            "sensor fault",
            null,
            null,
            null,
            null,
            "text/csv",
            "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));

    String key = ObjectKeys.key("plant-a", odd, NOON);

    assertThat(key)
        .startsWith("plant-a/_nogroup/dev_.._1/2026-12-06/20261206T120000.000Z-sensor_fault-");
    assertThat(key).endsWith(".csv");
  }

  @Test
  void metadataCarriesWhatTheWindowIsAndWhereItComesFrom() {
    CapturedWindow window = window("dev-1", "pumps", 300, NOON);
    WindowHeader header = WindowHeader.of("k", "plant-a", window, NOON.plusSeconds(1));

    assertThat(ObjectKeys.metadata(header))
        .containsEntry("namespace", "plant-a")
        .containsEntry("device", "dev-1")
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
