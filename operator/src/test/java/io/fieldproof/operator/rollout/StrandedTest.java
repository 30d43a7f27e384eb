package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.api.v1alpha1.ModelRolloutStatus.Phase;
import io.fieldproof.api.v1alpha1.UnreturnedDevice;
import io.fieldproof.operator.rollout.progress.ReturnPath;
import io.fieldproof.operator.rollout.progress.RolloutDecision;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A rollback names the devices it could not return, in status and in its message. */
class StrandedTest {

  private static final ReturnPath NONE =
      new ReturnPath(null, "NoPreviousModel", "its other slot holds no model to return to");

  @Test
  void theMessageNamesTheDevicesAndStaysTheSameOverPasses() {
    Map<String, ReturnPath> stranded = new TreeMap<>(Map.of("esp32-2", NONE, "esp32-1", NONE));

    RolloutDecision first =
        Stranded.described(rolledBack("gate failed: x; devices return"), stranded);
    RolloutDecision again = Stranded.described(first, stranded);

    assertThat(first.message())
        .isEqualTo(
            "gate failed: x; devices return; 2 devices cannot return to a previous model and keep"
                + " this one: esp32-1 (NoPreviousModel), esp32-2 (NoPreviousModel)");
    assertThat(again.message())
        .as("a later pass does not add them twice")
        .isEqualTo(first.message());
    assertThat(Stranded.described(first, Map.of()).message())
        .as("once none is stranded, the message says nothing of it")
        .isEqualTo("gate failed: x; devices return");
  }

  @Test
  void manyDevicesAreCountedAndTheListIsBounded() {
    Map<String, ReturnPath> stranded = new TreeMap<>();
    IntStream.range(0, 30).forEach(i -> stranded.put(String.format("d%02d", i), NONE));

    String message = Stranded.described(rolledBack("aborted"), stranded).message();

    assertThat(message)
        .contains("30 devices cannot return")
        .contains("d00 (NoPreviousModel), d01")
        .endsWith("d04 (NoPreviousModel), and 25 more (status.notReturned)");
    assertThat(Stranded.listed(stranded, 20))
        .hasSize(20)
        .first()
        .satisfies(
            (UnreturnedDevice d) -> {
              assertThat(d.device).isEqualTo("d00");
              assertThat(d.reason).isEqualTo("NoPreviousModel");
            });
  }

  @Test
  void onlyARolledBackRolloutSaysIt() {
    RolloutDecision progressing =
        new RolloutDecision(
            Phase.PROGRESSING,
            1,
            Instant.EPOCH,
            RolloutDecision.Action.ASSIGN,
            20,
            "Updating",
            "x");

    assertThat(Stranded.described(progressing, Map.of("d", NONE))).isSameAs(progressing);
  }

  private static RolloutDecision rolledBack(String message) {
    return new RolloutDecision(
        Phase.ROLLED_BACK,
        2,
        Instant.EPOCH,
        RolloutDecision.Action.ROLL_BACK,
        0,
        "GateFailed",
        message);
  }
}
