package io.fieldproof.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the conditions of a status from the previous ones, the Kubernetes way: each condition
 * carries the generation it was computed for, and keeps its lastTransitionTime while its status
 * does not change. The same input gives the same list, so an unchanged status is not written.
 */
public final class ConditionsBuilder {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Map<String, Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> result = new ArrayList<>();

  public ConditionsBuilder(List<Condition> previous, long generation, Instant now) {
    this.previous =
        (previous == null ? List.<Condition>of() : previous)
            .stream()
                .filter(c -> c.getType() != null)
                .collect(
                    Collectors.toMap(
                        Condition::getType,
                        Function.identity(),
                        (a, b) -> a,
                        java.util.LinkedHashMap::new));
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Sets one condition; call once per type, in the order they should appear. */
  public ConditionsBuilder set(String type, boolean status, String reason, String message) {
    return set(type, status ? TRUE : FALSE, reason, message);
  }

  public ConditionsBuilder set(String type, String status, String reason, String message) {
    Condition before = previous.get(type);
    String transition =
        before != null && Objects.equals(before.getStatus(), status)
            ? before.getLastTransitionTime()
            : now.toString();
    result.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    return this;
  }

  /** Keeps, unchanged, every previous condition whose type was not set. */
  public ConditionsBuilder carryOver() {
    List<String> set = result.stream().map(Condition::getType).toList();
    previous.values().stream().filter(c -> !set.contains(c.getType())).forEach(result::add);
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(result);
  }
}
