package io.fieldproof.protocol.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CaptureKeyTest {

  private static final String SHA = "a".repeat(64);

  @Test
  void aKeySaysWhichGroupModelTriggerAndDeviceItsWindowBelongsTo() {
    CaptureKey key =
        new CaptureKey(
            "plant-a",
            "pump-vibration",
            SHA,
            CaptureTrigger.SENSOR_FAULT,
            "esp32-a4cf12409817",
            1_765_000_000_123L,
            "0123456789ab");

    assertThat(key.key())
        .isEqualTo(
            "plant-a/pump-vibration/"
                + SHA
                + "/sensorFault/esp32-a4cf12409817/1765000000123-0123456789ab.json");
    assertThat(CaptureKey.parse(key.key())).contains(key);
    assertThat(key.key()).matches(CaptureKey.PATTERN);
  }

  @Test
  void theSameWindowAlwaysGetsTheSameKeyAndAnotherWindowAnother() {
    byte[] window = "{\"samples\":[]}".getBytes(StandardCharsets.UTF_8);
    byte[] other = "{\"samples\":[1]}".getBytes(StandardCharsets.UTF_8);

    CaptureKey a = sample(CaptureKey.digestOf(window));
    CaptureKey b = sample(CaptureKey.digestOf(window));
    CaptureKey c = sample(CaptureKey.digestOf(other));

    assertThat(a.key()).isEqualTo(b.key()).isNotEqualTo(c.key());
    assertThat(CaptureKey.digestOf(window)).hasSize(12).matches("[0-9a-f]+");
  }

  private static CaptureKey sample(String digest) {
    return new CaptureKey(
        "ns",
        "g",
        CaptureKey.NO_MODEL,
        CaptureTrigger.SAMPLE,
        "stm32-" + "0".repeat(24),
        5,
        digest);
  }

  @Test
  void aPrefixSelectsAGroupAModelAndATrigger() {
    assertThat(CaptureKey.prefix("ns", "g", SHA, "alarm")).isEqualTo("ns/g/" + SHA + "/alarm/");
    assertThat(CaptureKey.prefix("ns", "g", SHA, null)).isEqualTo("ns/g/" + SHA + "/");
    assertThat(CaptureKey.prefix("ns", "g", null, "alarm")).isEqualTo("ns/g/");
  }

  @Test
  void whatIsNotACaptureKeyParsesToNothing() {
    String device = "esp32-a4cf12409817";
    assertThat(CaptureKey.parse(null)).isEmpty();
    assertThat(CaptureKey.parse("ns/g/" + SHA + "/alarm/" + device + "/1-0123456789ab.csv"))
        .isEmpty();
    assertThat(CaptureKey.parse("ns/g/" + SHA + "/panic/" + device + "/1-0123456789ab.json"))
        .isEmpty();
    assertThat(CaptureKey.parse("ns/g/" + SHA + "/alarm/esp32-xyz/1-0123456789ab.json")).isEmpty();
    assertThat(CaptureKey.parse("ns/G/" + SHA + "/alarm/" + device + "/1-0123456789ab.json"))
        .isEmpty();
    assertThat(CaptureKey.parse("../g/" + SHA + "/alarm/" + device + "/1-0123456789ab.json"))
        .isEmpty();
    assertThat(
            CaptureKey.parse(
                "ns/g/" + SHA + "/alarm/" + device + "/1-0123456789ab.json" + "x".repeat(600)))
        .isEmpty();
  }

  @Test
  void aKeyIsNeverMadeOfWhatItCouldNotParse() {
    assertThatThrownBy(
            () ->
                new CaptureKey(
                    "ns",
                    "g",
                    "xyz",
                    CaptureTrigger.ALARM,
                    "esp32-a4cf12409817",
                    1,
                    "0123456789ab"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ns/g/xyz");
    assertThatThrownBy(
            () ->
                new CaptureKey(
                    "ns", "g", SHA, CaptureTrigger.ALARM, "esp32-A4CF12409817", 1, "0123456789ab"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new CaptureKey(
                    "ns", "g", SHA, CaptureTrigger.ALARM, "esp32-a4cf12409817", -1, "0123456789ab"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDigestThatIsNotTwelveHexDigitsMakesNoKey() {
    assertThatThrownBy(
            () ->
                new CaptureKey(
                    "ns", "g", SHA, CaptureTrigger.ALARM, "esp32-a4cf12409817", 1, "XYZ"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void triggersGoByTheirWireNames() {
    assertThat(CaptureTrigger.byWireName("sensorFault")).contains(CaptureTrigger.SENSOR_FAULT);
    assertThat(CaptureTrigger.byWireName("SENSOR_FAULT")).isEmpty();
  }
}
