package io.fieldproof.device.runtime;

import io.fieldproof.protocol.RuntimeConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the structured fallback rules on the raw readings, in order; the first rule whose
 * `when` applies and whose conditions all hold decides. Rules guard safety: where one fires, it
 * wins over the model.
 */
final class FallbackEvaluator {

  private final List<RuntimeConfig.Rule> rules;

  FallbackEvaluator(RuntimeConfig.Fallback fallback) {
    this.rules =
        fallback == null || !"rules".equals(fallback.mode()) ? List.of() : fallback.rules();
  }

  Optional<RuntimeConfig.Rule> firing(
      Map<String, Double> raw, boolean modelAvailable, boolean inputsValid) {
    for (RuntimeConfig.Rule rule : rules) {
      if (applies(rule.when(), modelAvailable, inputsValid)
          && rule.all().stream().allMatch(c -> holds(c, raw))) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  private static boolean applies(String when, boolean modelAvailable, boolean inputsValid) {
    if (when == null) {
      return false;
    }
    return switch (when) {
      case "always" -> true;
      case "model-unavailable" -> !modelAvailable;
      case "inputs-invalid" -> !inputsValid;
      default -> false;
    };
  }

  private static boolean holds(RuntimeConfig.Condition condition, Map<String, Double> raw) {
    Double value = raw.get(condition.input());
    if (value == null || condition.op() == null) {
      return false;
    }
    double x = value;
    double v = condition.value();
    return switch (condition.op()) {
      case ">" -> x > v;
      case ">=" -> x >= v;
      case "<" -> x < v;
      case "<=" -> x <= v;
      case "==" -> x == v;
      case "!=" -> x != v;
      default -> false;
    };
  }
}
