package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which captured window, and what it showed. */
public class CaptureLabelSpec {

  /** What a window showed. */
  public enum Verdict {
    @JsonProperty("trueAlarm")
    TRUE_ALARM,
    @JsonProperty("falseAlarm")
    FALSE_ALARM,
    @JsonProperty("sensorFault")
    SENSOR_FAULT,
    @JsonProperty("unknown")
    UNKNOWN
  }

  @Required
  @Pattern(Patterns.CAPTURE_KEY)
  @Size(max = 512)
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.window is immutable: a label belongs to one window; label another one anew")
  @JsonPropertyDescription(
      "The window's object key in the capture store:"
          + " <namespace>/<group>/<model sha256>/<trigger>/<device>/<epoch ms>-<digest>.json. The key names the group, the model, the"
          + " trigger and the device; the window must belong to a group of this namespace.")
  public String window;

  @Required
  @JsonPropertyDescription(
      "trueAlarm (the condition was real), falseAlarm (the model alarmed on a normal condition),"
          + " sensorFault (the readings were wrong, not the process), unknown (looked at, no"
          + " verdict).")
  public Verdict label;

  @Size(max = 256)
  @JsonPropertyDescription("Why, in a few words (who looked, what they saw).")
  public String note;
}
