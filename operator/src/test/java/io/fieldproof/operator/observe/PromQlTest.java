package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsTheMetricsBehindFunctionsMatchersAndGrouping() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.95, sum by (le, controller) (rate("
                    + "fieldproof_reconcile_duration_seconds_bucket{execution=\"reconcile\"}"
                    + "[$__rate_interval])))"))
        .containsExactly("fieldproof_reconcile_duration_seconds_bucket");
    assertThat(
            PromQl.metricNames(
                "sum by (namespace) (a_total{state=~\"on|off\"}) / clamp_min(sum(b), 1) or"
                    + " vector(0)"))
        .containsExactly("a_total", "b");
  }

  @Test
  void readsTheMetricOfALabelValuesQuery() {
    assertThat(PromQl.metricNames("label_values(fieldproof_rollouts{namespace=~\"$ns\"}, phase)"))
        .containsExactly("fieldproof_rollouts");
  }
}
