package io.fieldproof.model.footprint;

import java.util.List;
import java.util.Optional;

/**
 * The time one inference takes on each chip the fleet knows, from a model's MACs and operators
 * ({@link MacCounter}). The operator reports it in a rollout's status, the emulators report it as
 * their devices' inference cycles and latency, and the C firmware's runner estimates the same
 * (firmware/runner/fp_runner_config.h).
 *
 * <p>Cortex-M4 (stm32f4, stm32l4): fitted by least squares on relative error to the instructions
 * per inference that {@code firmware/scripts/bench-cortex-m4.py} measured on the C firmware under
 * QEMU netduinoplus2 with {@code -icount shift=0} (2026-12-06, eight fixture models, the figures in
 * the model module's test resources {@code cortex-m4-calibration.json}), and taken as cycles one
 * for one. A chip takes more cycles than instructions (a load takes 2, a taken branch 2 to 4): read
 * the estimate as a lower bound; the runner's inner loops come to 1.3 to 1.6 cycles per instruction
 * by the Cortex-M4's instruction timings (docs/benchmarks.md). The fit is within 22 % of every
 * measured model.
 *
 * <p>ESP32 and ESP32-S3 cannot be measured here. They run the same portable C runner, which has no
 * SIMD path on any chip (the S3's vector MACs are reached only by Espressif's ESP-NN kernels, which
 * it does not use), and the Xtensa LX6 and LX7 are 32-bit RISC cores that execute its loops in
 * about as many instructions as a Cortex-M4: they take the Cortex-M4's coefficients at their own
 * clock. That is an assumption, not a measurement.
 */
public final class LatencyEstimate {

  /** Cycles per dense MAC, convolution MAC and operator fitted on the Cortex-M4 measurements. */
  static final long CORTEX_M4_DENSE_MAC = 8;

  static final long CORTEX_M4_CONV_MAC = 45;
  static final long CORTEX_M4_OPERATOR = 741;

  public static final ChipProfile STM32F4 = cortexM4Like("stm32f4", 168);
  public static final ChipProfile STM32L4 = cortexM4Like("stm32l4", 80);
  public static final ChipProfile ESP32 = cortexM4Like("esp32", 240);
  public static final ChipProfile ESP32S3 = cortexM4Like("esp32s3", 240);

  private static final List<ChipProfile> PROFILES = List.of(ESP32, ESP32S3, STM32F4, STM32L4);

  private LatencyEstimate() {}

  /** Every chip profile, in the order esp32, esp32s3, stm32f4, stm32l4. */
  public static List<ChipProfile> profiles() {
    return PROFILES;
  }

  /** The profile of {@code chip} (lower case, as devices name it), if the fleet knows the chip. */
  public static Optional<ChipProfile> forChip(String chip) {
    return PROFILES.stream().filter(p -> p.chip().equals(chip)).findFirst();
  }

  private static ChipProfile cortexM4Like(String chip, long clockMhz) {
    return new ChipProfile(
        chip, clockMhz, CORTEX_M4_DENSE_MAC, CORTEX_M4_CONV_MAC, CORTEX_M4_OPERATOR);
  }
}
