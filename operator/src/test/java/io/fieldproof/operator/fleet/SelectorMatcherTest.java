package io.fieldproof.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.DeviceSelector;
import io.fieldproof.api.v1alpha1.SelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorMatcherTest {

  private static final Map<String, String> LABELS =
      Map.of("line", "3", "sensor", "vibration", "fieldproof.io/chip", "esp32");

  @Test
  void matchLabelsNeedsEveryLabel() {
    assertThat(SelectorMatcher.matches(labels(Map.of("line", "3")), LABELS)).isTrue();
    assertThat(SelectorMatcher.matches(labels(Map.of("line", "3", "sensor", "temp")), LABELS))
        .isFalse();
  }

  @Test
  void expressionsFollowKubernetesSemantics() {
    assertThat(
            SelectorMatcher.matches(
                expr("fieldproof.io/chip", SelectorRequirement.Operator.IN, "esp32", "esp32s3"),
                LABELS))
        .isTrue();
    assertThat(
            SelectorMatcher.matches(
                expr("fieldproof.io/chip", SelectorRequirement.Operator.NOT_IN, "esp32"), LABELS))
        .isFalse();
    assertThat(
            SelectorMatcher.matches(
                expr("decommissioned", SelectorRequirement.Operator.NOT_IN, "yes"), LABELS))
        .isTrue();
    assertThat(SelectorMatcher.matches(expr("line", SelectorRequirement.Operator.EXISTS), LABELS))
        .isTrue();
    assertThat(
            SelectorMatcher.matches(
                expr("decommissioned", SelectorRequirement.Operator.DOES_NOT_EXIST), LABELS))
        .isTrue();
    assertThat(
            SelectorMatcher.matches(
                expr("line", SelectorRequirement.Operator.DOES_NOT_EXIST), LABELS))
        .isFalse();
  }

  private static DeviceSelector labels(Map<String, String> labels) {
    DeviceSelector selector = new DeviceSelector();
    selector.matchLabels = labels;
    return selector;
  }

  private static DeviceSelector expr(
      String key, SelectorRequirement.Operator operator, String... values) {
    SelectorRequirement requirement = new SelectorRequirement();
    requirement.key = key;
    requirement.operator = operator;
    requirement.values = values.length == 0 ? null : List.of(values);
    DeviceSelector selector = new DeviceSelector();
    selector.matchExpressions = List.of(requirement);
    return selector;
  }
}
