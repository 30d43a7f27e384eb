package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.FallbackRule;
import io.fieldproof.api.v1alpha1.RuleCondition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks of a DeviceGroup spec that the API server's schema cannot express: a fallback rule whose
 * conditions on one input contradict each other ({@code t > 10} and {@code t < 5}), so that no
 * reading can ever make it fire.
 *
 * <p>A condition whose value lies beyond the input's valid range is sound: devices evaluate rules
 * on the raw readings, before and whatever the range check says (docs/device-runtime.md), so {@code
 * temperature_c > 125} with a valid range up to 125 fires on a reading of 150, which the range
 * check rejects as a sensor fault. That is how an over-range safety rule is written.
 */
public final class DeviceGroupSpecChecker {

  /** Problems found, each naming the field; empty when the spec is sound. */
  public List<String> check(DeviceGroupSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.fallback == null || spec.fallback.rules == null) {
      return problems;
    }
    for (int r = 0; r < spec.fallback.rules.size(); r++) {
      FallbackRule rule = spec.fallback.rules.get(r);
      if (rule.all == null) {
        continue;
      }
      Map<String, List<RuleCondition>> byInput =
          rule.all.stream()
              .filter(c -> c.input != null && c.op != null && c.value != null)
              .collect(
                  Collectors.groupingBy(c -> c.input, LinkedHashMap::new, Collectors.toList()));
      for (Map.Entry<String, List<RuleCondition>> input : byInput.entrySet()) {
        if (!Interval.of(input.getValue()).canHold()) {
          problems.add(
              String.format(
                  "spec.fallback.rules[%d].all: %s can never hold together on any reading of %s",
                  r,
                  input.getValue().stream()
                      .map(DeviceGroupSpecChecker::text)
                      .collect(Collectors.joining(" and ")),
                  input.getKey()));
        }
      }
    }
    return problems;
  }

  /** The readings that satisfy every condition on one input: a range, less some points. */
  private record Interval(
      double low, boolean lowOpen, double high, boolean highOpen, List<Double> excluded) {

    static Interval of(List<RuleCondition> conditions) {
      Interval range =
          new Interval(
              Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false, new ArrayList<>());
      for (RuleCondition c : conditions) {
        range = range.and(c);
      }
      return range;
    }

    Interval and(RuleCondition c) {
      double v = c.value;
      return switch (c.op) {
        case GT -> above(v, true);
        case GE -> above(v, false);
        case LT -> below(v, true);
        case LE -> below(v, false);
        case EQ -> above(v, false).below(v, false);
        case NE -> {
          List<Double> points = new ArrayList<>(excluded);
          points.add(v);
          yield new Interval(low, lowOpen, high, highOpen, points);
        }
      };
    }

    private Interval above(double v, boolean open) {
      if (v > low || (v == low && open)) {
        return new Interval(v, open, high, highOpen, excluded);
      }
      return this;
    }

    private Interval below(double v, boolean open) {
      if (v < high || (v == high && open)) {
        return new Interval(low, lowOpen, v, open, excluded);
      }
      return this;
    }

    boolean canHold() {
      if (low > high) {
        return false;
      }
      if (low < high) {
        return true;
      }
      return !lowOpen && !highOpen && !excluded.contains(low);
    }
  }

  private static String text(RuleCondition condition) {
    return condition.input + " " + symbol(condition.op) + " " + condition.value;
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
