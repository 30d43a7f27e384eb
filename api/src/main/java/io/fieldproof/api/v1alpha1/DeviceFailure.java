package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A device whose update failed. */
public class DeviceFailure {

  @JsonPropertyDescription("Device id.")
  public String device;

  @JsonPropertyDescription(
      "Machine-readable cause: DownloadFailed, DigestMismatch, SelfTestMismatch, Timeout, ...")
  public String reason;

  @JsonPropertyDescription("Human-readable detail.")
  public String message;

  @JsonPropertyDescription("Attempts made.")
  public int attempts;
}
