package io.fieldproof.operator.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CohortPlannerTest {

  private static final List<String> FLEET =
      IntStream.range(0, 200).mapToObj(i -> String.format("esp32-a4cf12%06x", i)).toList();

  @Test
  void aDeviceChosenEarlyStaysChosenAsThePercentGrows() {
    CohortPlanner planner = new CohortPlanner("plant-a/vib-1-4/uid-1");
    List<String> previous = List.of();
    for (int percent : new int[] {0, 5, 20, 25, 50, 99, 100}) {
      List<String> cohort = planner.cohort(FLEET, percent);
      assertThat(cohort).hasSize((int) Math.ceil(FLEET.size() * percent / 100.0));
      assertThat(cohort).containsAll(previous);
      previous = cohort;
    }
    assertThat(previous).containsExactlyInAnyOrderElementsOf(FLEET);
  }

  @Test
  void theChoiceIgnoresListOrderAndDuplicatesAndDiffersBetweenRollouts() {
    List<String> shuffled = new ArrayList<>(FLEET);
    Collections.shuffle(shuffled, new Random(7));
    shuffled.add(FLEET.get(3));

    CohortPlanner planner = new CohortPlanner("plant-a/vib-1-4/uid-1");
    assertThat(planner.cohort(shuffled, 20)).isEqualTo(planner.cohort(FLEET, 20));
    assertThat(new CohortPlanner("plant-a/vib-1-5/uid-2").cohort(FLEET, 20))
        .isNotEqualTo(planner.cohort(FLEET, 20));
  }

  /**
   * The rank is the sha256 of the rollout's key, a zero byte and the device id, in hex: pinned, so
   * that replicas and versions of the operator pick the same canaries.
   */
  @Test
  void theRankIsTheDigestOfTheRolloutKeyAndTheDeviceId() throws Exception {
    String key = "plant-a/vib-1-4/uid-1";
    java.util.Map<String, String> digests = new java.util.HashMap<>();
    for (String device : FLEET) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(device.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      digests.put(device, java.util.HexFormat.of().formatHex(sha.digest()));
    }
    List<String> byDigest = new ArrayList<>(FLEET);
    byDigest.sort(java.util.Comparator.comparing(digests::get));

    assertThat(new CohortPlanner(key).ranked(FLEET)).isEqualTo(byDigest);
  }

  /**
   * A planner kept across a rollout's passes keeps its ranks: whatever the members did between two
   * passes (joined, left, came back, listed in another order), its ranking is that of a fresh
   * planner, and cohorts of an already ranked list are the cohorts of the members.
   */
  @Test
  void aPlannerKeptAcrossPassesRanksAsAFreshOne() {
    String key = "plant-a/vib-1-4/uid-1";
    CohortPlanner kept = new CohortPlanner(key);
    List<String> shuffled = new ArrayList<>(FLEET);
    java.util.Collections.shuffle(shuffled, new java.util.Random(3));
    List<List<String>> passes =
        List.of(
            FLEET.subList(0, 120),
            FLEET.subList(0, 120),
            FLEET.subList(50, 200),
            FLEET,
            shuffled,
            FLEET.subList(0, 10),
            List.of(),
            FLEET);
    for (List<String> members : passes) {
      List<String> ranked = kept.ranked(members);
      assertThat(ranked).isEqualTo(new CohortPlanner(key).ranked(members));
      for (int percent : new int[] {5, 50, 100}) {
        assertThat(
                CohortPlanner.cohortOfRanked(ranked, percent, id -> id.endsWith("7"), id -> true))
            .isEqualTo(new CohortPlanner(key).cohort(members, percent, id -> id.endsWith("7")));
      }
    }
    assertThat(kept.ranked(List.of("a", "b", "a"))).hasSize(2);
  }

  @Test
  void aSmallStepOfASmallGroupStillTakesOneDevice() {
    CohortPlanner planner = new CohortPlanner("r");
    assertThat(planner.cohort(FLEET.subList(0, 3), 5)).hasSize(1);
    assertThat(planner.cohort(List.of(), 50)).isEmpty();
    assertThatThrownBy(() -> planner.cohort(FLEET, 101)).hasMessageContaining("0..100");
  }

  @Test
  void aMemberJoiningMidStepDoesNotDisplaceADeviceAlreadyChosen() {
    CohortPlanner planner = new CohortPlanner("plant-a/vib-1-4/uid-1");
    List<String> before = FLEET.subList(0, 99);
    List<String> canary = planner.cohort(before, 5);
    String newcomer =
        FLEET.subList(100, 200).stream()
            .filter(d -> planner.ranked(List.of(d, canary.get(canary.size() - 1))).get(0).equals(d))
            .findFirst()
            .orElseThrow();
    List<String> after = new java.util.ArrayList<>(before);
    after.add(newcomer);

    List<String> cohort = planner.cohort(after, 5, canary::contains);

    assertThat(cohort).containsAll(canary).doesNotContain(newcomer);
    assertThat(planner.cohort(after, 5)).contains(newcomer);
  }

  @Test
  void aCanaryStepTakesOnlyDevicesThatCanRevertAndTheStepOf100PercentTakesEveryDevice() {
    CohortPlanner planner = new CohortPlanner("plant-a/vib-1-4/uid-1");
    List<String> ranked = planner.ranked(FLEET);
    // the three lowest ranks, which a canary would take first, have no model to return to
    java.util.Set<String> cannot = java.util.Set.copyOf(ranked.subList(0, 3));

    for (int percent : new int[] {1, 5, 20, 50, 98}) {
      List<String> canary = planner.cohort(FLEET, percent, id -> false, id -> !cannot.contains(id));
      assertThat(canary)
          .as("a %d %% step", percent)
          .hasSize(CohortPlanner.size(FLEET.size(), percent))
          .doesNotContainAnyElementsOf(cannot);
    }
    assertThat(planner.cohort(FLEET, 99, id -> false, id -> !cannot.contains(id)))
        .as("99 %% of 200 is 198, but only 197 can revert")
        .hasSize(197)
        .doesNotContainAnyElementsOf(cannot);
    assertThat(planner.cohort(FLEET, 100, id -> false, id -> !cannot.contains(id)))
        .containsExactlyInAnyOrderElementsOf(FLEET);
  }

  @Test
  void aCanaryIsSmallerWhenTooFewCanRevertAndEmptyWhenNoneCan() {
    CohortPlanner planner = new CohortPlanner("r");
    List<String> five = FLEET.subList(0, 5);
    String only = five.get(4);

    assertThat(planner.cohort(five, 60, id -> false, only::equals)).containsExactly(only);
    assertThat(planner.cohort(five, 60, id -> false, id -> false)).isEmpty();
  }

  @Test
  void aDeviceChosenBeforeStaysInTheCanaryEvenWhenItCanNoLongerRevert() {
    CohortPlanner planner = new CohortPlanner("r");
    List<String> ranked = planner.ranked(FLEET);
    String chosen = ranked.get(0);

    List<String> canary = planner.cohort(FLEET, 5, chosen::equals, id -> !id.equals(chosen));

    assertThat(canary).hasSize(10).contains(chosen);
  }
}
