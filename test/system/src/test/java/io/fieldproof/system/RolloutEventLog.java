package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Kubernetes Events a rollout recorded on itself, as a user lists them. */
final class RolloutEventLog {

  private final List<Event> events;

  private RolloutEventLog(List<Event> events) {
    this.events = events;
  }

  /** The Events of {@code rollout} in {@code namespace}, oldest first. */
  static RolloutEventLog of(KubernetesClient client, String namespace, String rollout) {
    return new RolloutEventLog(
        client.v1().events().inNamespace(namespace).list().getItems().stream()
            .filter(e -> rollout.equals(e.getInvolvedObject().getName()))
            .sorted(
                Comparator.comparing(
                    (Event e) -> Long.parseLong(e.getMetadata().getResourceVersion())))
            .toList());
  }

  /**
   * No Event was written twice, by one replica or by both, nor by an operator that restarted: each
   * phase and step change is recorded once, and a gate outcome only when it differs from the one
   * recorded before it (gates going from Inconclusive to Pass as devices join the updated cohort,
   * or back to Inconclusive when a restarted operator's window starts empty, are changes, each
   * worth its Event).
   */
  void assertNoneRepeated() {
    assertThat(events).isNotEmpty();
    Map<String, Long> transitions =
        events.stream()
            .filter(e -> !"GatesEvaluated".equals(e.getReason()))
            .collect(
                Collectors.groupingBy(
                    e -> e.getReason() + ": " + e.getMessage(), Collectors.counting()));
    assertThat(transitions).allSatisfy((key, count) -> assertThat(count).as(key).isOne());
    List<String> gates =
        events.stream()
            .filter(e -> "GatesEvaluated".equals(e.getReason()))
            .map(Event::getMessage)
            .toList();
    for (int i = 1; i < gates.size(); i++) {
      assertThat(gates.get(i))
          .as("gate outcome %d repeats the one before it", i)
          .isNotEqualTo(gates.get(i - 1));
    }
    assertThat(events)
        .allSatisfy(
            e -> assertThat(e.getCount() == null ? 1 : e.getCount()).as(e.getReason()).isOne());
  }

  /** The reasons recorded, oldest first. */
  List<String> reasons() {
    return events.stream().map(Event::getReason).toList();
  }
}
