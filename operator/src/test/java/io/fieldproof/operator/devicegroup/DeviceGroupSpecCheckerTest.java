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
    assertThat(checker.check(spec(RuleCondition.Op.GT, 85))).isEmpty();
  }

  @Test
  void aRuleThatCanNeverFireIsReportedWithItsField() {
    assertThat(checker.check(spec(RuleCondition.Op.GT, 200)))
        .containsExactly(
            "spec.fallback.rules[0].all[0]: temperature_c > 200.0 can never hold: valid readings of"
                + " temperature_c lie in [-40.0, 125.0]");
    assertThat(checker.check(spec(RuleCondition.Op.LT, -40))).hasSize(1);
    assertThat(checker.check(spec(RuleCondition.Op.LE, -40))).isEmpty();
  }

  @Test
  void aGroupWithoutFallbackRulesIsSound() {
    DeviceGroupSpec spec = spec(RuleCondition.Op.GT, 200);
    spec.fallback = null;
    assertThat(checker.check(spec)).isEmpty();
  }

  private static DeviceGroupSpec spec(RuleCondition.Op op, double value) {
    InputSpec input = new InputSpec();
    input.name = "temperature_c";
    input.validRange = new ValueRange();
    input.validRange.min = -40.0;
    input.validRange.max = 125.0;
    RuleCondition condition = new RuleCondition();
    condition.input = "temperature_c";
    condition.op = op;
    condition.value = value;
    FallbackRule rule = new FallbackRule();
    rule.name = "overtemp";
    rule.all = List.of(condition);
    DeviceGroupSpec spec = new DeviceGroupSpec();
    spec.inputs = List.of(input);
    spec.fallback = new FallbackSpec();
    spec.fallback.mode = FallbackSpec.Mode.RULES;
    spec.fallback.rules = List.of(rule);
    return spec;
  }
}
