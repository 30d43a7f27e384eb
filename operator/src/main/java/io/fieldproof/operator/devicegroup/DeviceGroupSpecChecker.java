package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.InputSpec;
import io.fieldproof.api.v1alpha1.RuleCondition;
import io.fieldproof.api.v1alpha1.ValueRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks of a DeviceGroup spec that the API server's schema cannot express: rules that can never
 * fire because the value they compare with lies outside the input's valid range (the reading would
 * be rejected before any rule sees it).
 */
public final class DeviceGroupSpecChecker {

  /** Problems found, each naming the field; empty when the spec is sound. */
  public List<String> check(DeviceGroupSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.fallback == null || spec.fallback.rules == null) {
      return problems;
    }
    Map<String, InputSpec> inputs =
        spec.inputs.stream()
            .collect(Collectors.toMap(i -> i.name, Function.identity(), (a, b) -> a));
    for (int r = 0; r < spec.fallback.rules.size(); r++) {
      FallbackRule rule = spec.fallback.rules.get(r);
      for (int c = 0; c < rule.all.size(); c++) {
        RuleCondition condition = rule.all.get(c);
        InputSpec input = inputs.get(condition.input);
        if (input != null && input.validRange != null && !canHold(condition, input.validRange)) {
          problems.add(
              String.format(
                  "spec.fallback.rules[%d].all[%d]: %s %s %s can never hold: valid readings of %s"
                      + " lie in [%s, %s]",
                  r,
                  c,
                  condition.input,
                  symbol(condition.op),
                  condition.value,
                  condition.input,
                  input.validRange.min,
                  input.validRange.max));
        }
      }
    }
    return problems;
  }

  private static boolean canHold(RuleCondition condition, ValueRange range) {
    double v = condition.value;
    return switch (condition.op) {
      case GT -> range.max > v;
      case GE -> range.max >= v;
      case LT -> range.min < v;
      case LE -> range.min <= v;
      case EQ -> range.min <= v && v <= range.max;
      case NE -> !(range.min == v && range.max == v);
    };
  }

  private static String symbol(RuleCondition.Op op) {
    return switch (op) {
      case GT -> ">";
      case GE -> ">=";
      case LT -> "<";
      case LE -> "<=";
      case EQ -> "==";
      case NE -> "!=";
    };
  }
}
