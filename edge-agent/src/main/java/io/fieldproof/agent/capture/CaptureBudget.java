package io.fieldproof.agent.capture;

/**
 * How many bytes of captured windows a group allows a day, from its DeviceGroup's capture policy.
 *
 * @param bytesPerDevicePerDay what one device may upload in a UTC day
 * @param bytesPerGroupPerDay what all the gateway's devices of the group may upload in a UTC day
 */
public record CaptureBudget(long bytesPerDevicePerDay, long bytesPerGroupPerDay) {

  public CaptureBudget {
    if (bytesPerDevicePerDay < 0 || bytesPerGroupPerDay < 0) {
      throw new IllegalArgumentException("capture budgets cannot be negative");
    }
  }
}
