package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Capture of raw field data on the devices (docs/field-data.md): which events make a device keep a
 * window of its readings around them, how long the window is, and how many bytes of windows a day
 * its gateway may hand on for upload. Off unless enabled: a capture costs device RAM and upload.
 */
@ValidationRule(
    value = "!has(self.triggers) || self.triggers.all(t, self.triggers.exists_one(u, u == t))",
    message = "spec.capture.triggers: a trigger may be listed only once",
    fieldPath = ".triggers",
    reason = "FieldValueDuplicate")
@ValidationRule(
    value =
        "(has(self.bytesPerGroupPerDay) ? self.bytesPerGroupPerDay : 67108864)"
            + " >= (has(self.bytesPerDevicePerDay) ? self.bytesPerDevicePerDay : 1048576)",
    message =
        "spec.capture.bytesPerGroupPerDay must be at least spec.capture.bytesPerDevicePerDay"
            + " (defaults 64 MiB and 1 MiB)",
    fieldPath = ".bytesPerGroupPerDay")
public class CaptureSpec {

  /** An event on the device that starts a capture. */
  public enum Trigger {
    @JsonProperty("alarm")
    ALARM,
    @JsonProperty("fallback")
    FALLBACK,
    @JsonProperty("sensorFault")
    SENSOR_FAULT,
    @JsonProperty("drift")
    DRIFT
  }

  @Default("false")
  @JsonPropertyDescription(
      "Whether the group's devices capture windows at all. Off by default: when off, devices"
          + " get no capture config, keep no ring and nothing is uploaded.")
  public Boolean enabled;

  @Size(max = 4)
  @JsonPropertyDescription(
      "Events that start a capture: alarm (an alarm episode starts), fallback (a fallback or"
          + " safety rule takes over from the model), sensorFault (an input goes into a dropout,"
          + " out_of_range or stuck fault), drift (an input starts drifting). All four when not"
          + " set; an empty list leaves only sampleOneIn.")
  public List<Trigger> triggers;

  @Min(0)
  @Max(100000000)
  @Default("0")
  @JsonPropertyDescription(
      "Captures of normal operation: on average one window every this many readings, at"
          + " random readings (trigger sample). 0 turns them off; 3600 is about one an hour at"
          + " one reading a second.")
  public Long sampleOneIn;

  @Min(0)
  @Max(300)
  @Default("30")
  @JsonPropertyDescription(
      "Readings kept before the trigger's reading. The device holds windowBefore + 1 +"
          + " windowAfter samples in a ring; a device whose capture pool is smaller keeps fewer"
          + " of the readings before (docs/field-data.md).")
  public Integer windowBefore;

  @Min(0)
  @Max(300)
  @Default("30")
  @JsonPropertyDescription("Readings kept after the trigger's reading.")
  public Integer windowAfter;

  @Min(0)
  @Max(1073741824L)
  @Default("1048576")
  @JsonPropertyDescription(
      "Bytes of captured windows one device may hand on for upload per UTC day (1 MiB by"
          + " default); windows past it are dropped and counted by its gateway.")
  public Long bytesPerDevicePerDay;

  @Min(0)
  @Max(1099511627776L)
  @Default("67108864")
  @JsonPropertyDescription(
      "Bytes of captured windows the members of the group on one gateway may hand on for upload"
          + " per UTC day (64 MiB by default).")
  public Long bytesPerGroupPerDay;
}
