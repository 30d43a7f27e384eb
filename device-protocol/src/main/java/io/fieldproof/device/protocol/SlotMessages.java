package io.fieldproof.device.protocol;

import java.util.List;

/** The JSON bodies of the slot commands of protocol v2 other than SLOT_WRITE. */
public final class SlotMessages {

  private SlotMessages() {}

  /** SLOT_WRITE response: how many bytes the slot holds in order now. */
  public record Written(String slot, long written) {}

  /** SLOT_DIGEST request: the sha256 of the first {@code length} bytes of {@code slot}. */
  public record DigestRequest(String slot, long length) {}

  /** SLOT_DIGEST response. */
  public record Digest(String slot, long length, String sha256) {}

  /**
   * SELFTEST request: run the model held in the first {@code length} bytes of {@code slot} on one
   * int8 input vector.
   */
  public record SelfTestRequest(String slot, long length, List<Integer> input) {}

  /** SELFTEST response: the int8 output and the cycles the inference took on the device. */
  public record SelfTestResult(List<Integer> output, long cycles) {}

  /**
   * ACTIVATE request: the slot holds this model (the device checks the digest), commit it and run
   * it on trial; a reset before CONFIRM goes back to the previous model.
   */
  public record ActivateRequest(
      String slot, long length, String sha256, String name, String version) {}
}
