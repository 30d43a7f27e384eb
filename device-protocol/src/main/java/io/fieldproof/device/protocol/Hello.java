package io.fieldproof.device.protocol;

import java.util.Objects;

/**
 * The HELLO response: who the device is and what it runs.
 *
 * @param deviceId hardware identity prefixed by chip family ({@code esp32-<mac>}, {@code
 *     stm32-<uid>})
 * @param chip chip name, for example {@code esp32s3}
 * @param firmware firmware version string
 * @param runtime runtime protocol name and version, {@value #RUNTIME_V1} for this protocol
 * @param capabilities operators, arena and slot size
 * @param slots the model slot table
 */
public record Hello(
    String deviceId,
    String chip,
    String firmware,
    String runtime,
    Capabilities capabilities,
    SlotTable slots) {

  /** The runtime string of protocol v1. */
  public static final String RUNTIME_V1 = "fieldproof-rt/1";

  /** The runtime string of protocol v2: v1 plus the slot commands (in-app model updates). */
  public static final String RUNTIME_V2 = "fieldproof-rt/2";

  /** The runtime string of protocol v3: v2 plus CAPTURE (windows of field data). */
  public static final String RUNTIME_V3 = "fieldproof-rt/3";

  public Hello {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(chip, "chip");
    Objects.requireNonNull(firmware, "firmware");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(capabilities, "capabilities");
    slots = slots == null ? SlotTable.empty() : slots;
  }

  /** Whether the runtime takes slot commands, so models can be written while it runs. */
  public boolean supportsSlotCommands() {
    return protocolVersion(runtime) >= 2;
  }

  /** Whether the runtime answers CAPTURE: it keeps windows of readings around triggers. */
  public boolean supportsCapture() {
    return protocolVersion(runtime) >= 3;
  }

  /** N of {@code fieldproof-rt/N}; 0 for any other runtime string. */
  public static int protocolVersion(String runtime) {
    if (runtime == null || !runtime.startsWith("fieldproof-rt/")) {
      return 0;
    }
    try {
      return Integer.parseInt(runtime.substring("fieldproof-rt/".length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
