package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest evaluation of one gate rule. */
public class GateResult {

  /** Outcome of a gate evaluation. */
  public enum Result {
    @JsonProperty("Pass")
    PASS,
    @JsonProperty("Fail")
    FAIL,
    @JsonProperty("Inconclusive")
    INCONCLUSIVE
  }

  @JsonPropertyDescription("The metric judged.")
  public GateRule.Metric metric;

  @JsonPropertyDescription("Value on the updated cohort.")
  public Double value;

  @JsonPropertyDescription("Value on the baseline cohort (not yet updated).")
  public Double baseline;

  @JsonPropertyDescription("Pass, Fail or Inconclusive.")
  public Result result;
}
