package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.device.runtime.DeviceRuntimeEngine;
import io.fieldproof.device.runtime.InterpreterModelRunner;
import io.fieldproof.model.footprint.ChipProfile;
import io.fieldproof.model.footprint.LatencyEstimate;
import io.fieldproof.model.tflite.ModelRejectedException;
import io.fieldproof.protocol.RuntimeConfig;
import java.io.IOException;
import java.util.Optional;

/**
 * Builds the device runtime an emulator runs for an applied config. The emulator compresses time:
 * one telemetry tick is one sensor window, counted as one second of device time, so a drift window
 * of 30 s is 30 ticks.
 */
final class RuntimeEngines {

  private RuntimeEngines() {}

  /** Empty when the config is not in the operator's runtime form (a hand-written test config). */
  static Optional<DeviceRuntimeEngine> forConfig(JsonNode config, Chip chip, byte[] activeModel) {
    RuntimeConfig runtime;
    try {
      runtime =
          io.fieldproof.protocol.MessageCodec.mapper().treeToValue(config, RuntimeConfig.class);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (runtime.decision() == null) {
      return Optional.empty();
    }
    int windowSamples =
        runtime.drift() == null
            ? 3600
            : (int) Math.min(86_400, Math.max(2, runtime.drift().windowSeconds()));
    DeviceRuntimeEngine engine =
        new DeviceRuntimeEngine(runtime, windowSamples, profile(chip).clockMhz());
    loadable(activeModel, chip)
        .filter(runner -> runner.features() == runtime.inputs().size())
        .ifPresent(engine::activate);
    return Optional.of(engine);
  }

  /**
   * The active slot's model as a runner; empty when there is none or it cannot run (bytes that boot
   * but are no int8 model): the runtime then runs without a model, and model-unavailable rules
   * decide (docs/device-runtime.md).
   */
  private static Optional<InterpreterModelRunner> loadable(byte[] activeModel, Chip chip) {
    if (activeModel == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InterpreterModelRunner.load(activeModel, profile(chip)));
    } catch (ModelRejectedException e) {
      return Optional.empty();
    }
  }

  /**
   * How fast the chip runs inference: the model module's calibrated estimate (docs/benchmarks.md),
   * the cycles the C firmware's runner reports too, and the core clock that turns them into time.
   */
  static ChipProfile profile(Chip chip) {
    return LatencyEstimate.forChip(chip.wireName()).orElseThrow();
  }
}
