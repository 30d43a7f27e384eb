package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Gates compare the updated cohort with the not-yet-updated baseline. */
public class GatesSpec {

  @Min(1)
  @Max(100000)
  @Default("3")
  @JsonPropertyDescription(
      "With fewer updated devices than this, gate results are Inconclusive and the rollout"
          + " pauses.")
  public Integer minDevices;

  @Min(1)
  @Max(100000000)
  @Default("50")
  @JsonPropertyDescription(
      "Rate rules (alarmRate, fallbackRate, sensorFaultRate) pass only once the updated devices"
          + " ran this many inferences; they fail as soon as the counts show, at 99% confidence"
          + " (one-sided binomial test), a rate above the limit. In between they are Inconclusive"
          + " and the rollout waits.")
  public Long minInferences;

  @Min(1)
  @Max(100000)
  @Default("20")
  @JsonPropertyDescription(
      "A falseAlarmRate rule passes only once this many alarm windows captured under the"
          + " rollout's model are labeled trueAlarm or falseAlarm; it fails as soon as the labels"
          + " show, at 99% confidence, a rate above the limit. In between it is Inconclusive and"
          + " the rollout waits for people to label.")
  public Long minLabeledWindows;

  @Size(max = 16)
  @JsonPropertyDescription("Rules, each a metric and one limit.")
  public List<GateRule> rules;
}
