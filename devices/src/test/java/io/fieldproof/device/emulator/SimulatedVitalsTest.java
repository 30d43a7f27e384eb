package io.fieldproof.device.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedVitalsTest {

  private final AtomicLong millis = new AtomicLong(1_000);

  @Test
  void aDrainingBatteryAndAnEsp32sRssiReachStats() {
    DeviceEmulator esp32 =
        DeviceEmulator.builder(Chip.ESP32)
            .seed(7)
            .clock(millis::get)
            .battery(50, -10)
            .link(-71)
            .build();

    assertThat(esp32.stats().counters())
        .containsEntry("battery.percent", 50L)
        .containsEntry("battery.mv", 3750L)
        .containsEntry("link.rssiDbm", -71L)
        .doesNotContainKey("link.errorPermille");
    millis.addAndGet(90_000); // 1.5 minutes at -10 %/min
    assertThat(esp32.stats().counters()).containsEntry("battery.percent", 35L);
    millis.addAndGet(600_000);
    assertThat(esp32.stats().counters())
        .as("an empty battery stays at 0")
        .containsEntry("battery.percent", 0L)
        .containsEntry("battery.mv", 3300L);
    esp32.vitals().battery(20, 30); // on the charger
    millis.addAndGet(120_000);
    assertThat(esp32.vitals().batteryPercent()).isEqualTo(80.0);
  }

  @Test
  void anStm32ReportsItsLineErrorRateAndNothingIsReportedUnlessSet() {
    DeviceEmulator stm32 = DeviceEmulator.builder(Chip.STM32F4).seed(7).build();
    Map<String, Long> before = stm32.stats().counters();
    assertThat(before.keySet()).noneMatch(k -> k.startsWith("battery.") || k.startsWith("link."));

    stm32.vitals().link(125);

    assertThat(stm32.stats().counters())
        .containsEntry("link.errorPermille", 125L)
        .doesNotContainKey("link.rssiDbm")
        .doesNotContainKey("battery.percent");
    assertThatThrownBy(() -> stm32.vitals().link(-60))
        .hasMessageContaining("frame error rate must be 0 to 1000");
    assertThatThrownBy(() -> stm32.vitals().battery(101))
        .hasMessageContaining("battery percent must be 0 to 100");
  }
}
