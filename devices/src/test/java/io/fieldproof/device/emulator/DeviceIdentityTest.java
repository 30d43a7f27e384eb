package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceIdentityTest {

  @Test
  void esp32IdsAreAnEspressifMacDerivedFromTheSeed() {
    DeviceIdentity identity = DeviceIdentity.of(Chip.ESP32, 1);

    assertThat(identity.deviceId()).matches("esp32-(a4cf12|240ac4|30aea4|7cdfa1)[0-9a-f]{6}");
    assertThat(DeviceIdentity.of(Chip.ESP32, 1)).isEqualTo(identity);
    assertThat(DeviceIdentity.of(Chip.ESP32S3, 1).deviceId()).isEqualTo(identity.deviceId());
    assertThat(identity.firmware()).isEqualTo(Chip.Family.ESP32.defaultFirmware());
  }

  @Test
  void stm32IdsAreA96BitUidWithAnAsciiLotNumber() {
    DeviceIdentity identity = DeviceIdentity.of(Chip.STM32L4, 1);

    assertThat(identity.deviceId()).matches("stm32-[0-9a-f]{24}");
    assertThat(identity.deviceId().substring(6 + 10)).matches("([3-5][0-9a-f])+");
    assertThat(DeviceIdentity.of(Chip.STM32L4, 1)).isEqualTo(identity);
  }

  @Test
  void idsAreDistinctForDistinctSeeds() {
    Set<String> esp = new HashSet<>();
    Set<String> stm = new HashSet<>();
    for (long seed = 0; seed < 20_000; seed++) {
      esp.add(DeviceIdentity.of(Chip.ESP32, seed).deviceId());
      stm.add(DeviceIdentity.of(Chip.STM32F4, seed).deviceId());
    }

    assertThat(esp).hasSize(20_000);
    assertThat(stm).hasSize(20_000);
  }

  @Test
  void chipsOfferWhatTheirRuntimeBuildHas() {
    assertThat(Chip.STM32L4.capabilities().operators())
        .doesNotContain("CONV_2D")
        .contains("FULLY_CONNECTED", "DEPTHWISE_CONV_2D");
    assertThat(Chip.ESP32.capabilities().operators())
        .hasSize(io.fieldproof.model.tflite.BuiltinOperator.values().length)
        .contains("CONV_2D", "CONCATENATION", "TANH");
    assertThat(Chip.ESP32S3.capabilities().arenaBytes())
        .isGreaterThan(Chip.ESP32.capabilities().arenaBytes());
    assertThat(Chip.STM32L4.capabilities().slotBytes()).isEqualTo(256 * 1024);
    assertThat(Chip.fromName("STM32F4")).isEqualTo(Chip.STM32F4);
  }
}
