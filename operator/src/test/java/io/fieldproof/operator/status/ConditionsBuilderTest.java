package io.fieldproof.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsBuilderTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-11-25T11:00:00Z");

  @Test
  void stampsGenerationAndTransitionTime() {
    List<Condition> conditions =
        new ConditionsBuilder(null, 3, T0).set("Ready", true, "Ok", "fine").build();

    assertThat(conditions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
            });
  }

  @Test
  void keepsTransitionTimeWhileStatusHolds() {
    List<Condition> first =
        new ConditionsBuilder(null, 1, T0).set("Ready", false, "NoMembers", "none").build();

    List<Condition> second =
        new ConditionsBuilder(first, 2, T1).set("Ready", false, "NoMembers", "still none").build();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(second.get(0).getMessage()).isEqualTo("still none");
  }

  @Test
  void movesTransitionTimeWhenStatusFlips() {
    List<Condition> first =
        new ConditionsBuilder(null, 1, T0).set("Ready", false, "NoMembers", "none").build();

    List<Condition> second =
        new ConditionsBuilder(first, 1, T1).set("Ready", true, "MembersHealthy", "3 of 3").build();

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T11:00:00Z");
  }

  @Test
  void carryOverKeepsUntouchedConditionsInOrder() {
    List<Condition> first =
        new ConditionsBuilder(null, 1, T0)
            .set("Ready", true, "A", "a")
            .set("Degraded", false, "B", "b")
            .set("Conflict", false, "C", "c")
            .build();

    List<Condition> second =
        new ConditionsBuilder(first, 1, T1)
            .set("Ready", false, "ReconcileError", "boom")
            .carryOver()
            .build();

    assertThat(second)
        .extracting(Condition::getType)
        .containsExactly("Ready", "Degraded", "Conflict");
    assertThat(second.get(1)).isEqualTo(first.get(1));
  }
}
