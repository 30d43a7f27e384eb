package io.fieldproof.operator.devicegroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.FallbackSpec;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.api.v1alpha1.RuleCondition;
import io.fieldproof.api.v1alpha1.ValueRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceGroupSpecCheckerTest {

  private final DeviceGroupSpecChecker checker = new DeviceGroupSpecChecker();

  @Test
  void aRuleInsideTheValidRangeIsSound() {
    assertThat(checker.check(spec(condition(RuleCondition.Op.GT, 85)))).isEmpty();
  }

  @Test
  void aRuleBeyondTheValidRangeIsSoundTheDeviceEvaluatesItOnTheRawReading() {
    // the device runtime fires it on a reading of 150, which its range check rejects
    // (DeviceRuntimeEngineTest#aConditionBeyondTheValidRangeIsEvaluatedOnTheRawReading and the
    // conformance case runtime-alarm-episodes-and-fallback-actions)
    assertThat(checker.check(spec(condition(RuleCondition.Op.GT, 200)))).isEmpty();
    assertThat(checker.check(spec(condition(RuleCondition.Op.LT, -40)))).isEmpty();
  }

  @Test
  void conditionsThatContradictEachOtherAreReportedWithTheirField() {
    assertThat(
            checker.check(
                spec(condition(RuleCondition.Op.GT, 100), condition(RuleCondition.Op.LT, 50))))
        .containsExactly(
            "spec.fallback.rules[0].all: temperature_c > 100.0 and temperature_c < 50.0 can never"
                + " hold together on any reading of temperature_c");
    assertThat(
            checker.check(
                spec(condition(RuleCondition.Op.GE, 50), condition(RuleCondition.Op.LT, 50))))
        .hasSize(1);
    assertThat(
            checker.check(
                spec(condition(RuleCondition.Op.EQ, 50), condition(RuleCondition.Op.NE, 50))))
        .hasSize(1);
    assertThat(
            checker.check(
                spec(condition(RuleCondition.Op.GE, 50), condition(RuleCondition.Op.LE, 50))))
        .isEmpty();
    assertThat(
            checker.check(
                spec(condition(RuleCondition.Op.GT, 40), condition(RuleCondition.Op.NE, 50))))
        .isEmpty();
  }

  @Test
  void aGroupWithoutFallbackRulesIsSound() {
    DeviceGroupSpec spec =
        spec(condition(RuleCondition.Op.GT, 100), condition(RuleCondition.Op.LT, 50));
    spec.fallback = null;
    assertThat(checker.check(spec)).isEmpty();
  }

  private static RuleCondition condition(RuleCondition.Op op, double value) {
    RuleCondition condition = new RuleCondition();
    condition.input = "temperature_c";
    condition.op = op;
    condition.value = value;
    return condition;
  }

  private static DeviceGroupSpec spec(RuleCondition... conditions) {
    InputSpec input = new InputSpec();
    input.name = "temperature_c";
    input.validRange = new ValueRange();
    input.validRange.min = -40.0;
    input.validRange.max = 125.0;
    FallbackRule rule = new FallbackRule();
    rule.name = "overtemp";
    rule.all = List.of(conditions);
    DeviceGroupSpec spec = new DeviceGroupSpec();
    spec.inputs = List.of(input);
    spec.fallback = new FallbackSpec();
    spec.fallback.mode = FallbackSpec.Mode.RULES;
    spec.fallback.rules = List.of(rule);
    return spec;
  }
}
