package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** How fast the rollout goes and how it treats slow, failing or offline devices. */
public class StrategySpec {

  /** How a step treats members that are offline. */
  public enum OfflinePolicy {
    @JsonProperty("wait")
    WAIT,
    @JsonProperty("skip")
    SKIP
  }

  @Size(min = 1, max = 32)
  @JsonPropertyDescription(
      "Ordered steps; each either sets the updated percent or pauses. Default: one step of"
          + " setPercent 100.")
  public List<Step> steps;

  @ValidationRule(
      value = Patterns.COUNT_OR_PERCENT_RULE,
      message = "maxConcurrent " + Patterns.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Devices updating at once: a count or a percent of targeted devices.")
  public IntOrString maxConcurrent;

  @Pattern(Patterns.DURATION)
  @Default("10m")
  @JsonPropertyDescription(
      "Deadline for one device's download, flash and verification, as a duration: 10m.")
  public String deviceTimeout;

  @Min(0)
  @Max(10)
  @Default("2")
  @JsonPropertyDescription(
      "Retries per device, with backoff, for transient errors; a failure counts toward abort"
          + " only when its retries are spent.")
  public Integer retries;

  @Pattern(Patterns.DURATION)
  @Default("10s")
  @JsonPropertyDescription(
      "How long a freshly activated model runs on trial, watched by the agent, before it is"
          + " confirmed; a device that fails its trial returns to its previous slot.")
  public String trial;

  @Default("wait")
  @JsonPropertyDescription(
      "wait: a step waits for offline members to return; skip: they are skipped and counted"
          + " apart.")
  public OfflinePolicy offlineDevices;
}
