package io.fieldproof.device.emulator;

/**
 * Who an emulated device is.
 *
 * @param deviceId hardware id prefixed by chip family
 * @param chip the emulated chip
 * @param firmware the firmware version it reports
 */
public record DeviceIdentity(String deviceId, Chip chip, String firmware) {

  /** The identity of a {@code chip} made from {@code seed}, with the family's default firmware. */
  public static DeviceIdentity of(Chip chip, long seed) {
    return new DeviceIdentity(
        HardwareId.deviceId(chip.family(), seed), chip, chip.family().defaultFirmware());
  }

  /** The same device reporting another firmware version. */
  public DeviceIdentity withFirmware(String version) {
    return new DeviceIdentity(deviceId, chip, version);
  }
}
