package io.fieldproof.model.footprint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The greedy planner's placements, worked out by hand from TFLM's algorithm. */
class GreedyArenaPlannerTest {

  @Test
  void buffersThatNeverMeetShareOffsetZero() {
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    planner.addBuffer(32, 0, 1);
    planner.addBuffer(48, 2, 3);
    ArenaPlan plan = planner.plan();
    assertThat(plan.offsets()).containsExactly(0, 0);
    assertThat(plan.plannedBytes()).isEqualTo(48);
  }

  @Test
  void aBufferAliveWithOthersGoesAfterTheOverlappingOnes() {
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    planner.addBuffer(32, 0, 1);
    planner.addBuffer(16, 1, 2);
    planner.addBuffer(48, 2, 3);
    // largest first: 48 at 0; 32 does not meet it: 0; 16 meets both: after the 48
    ArenaPlan plan = planner.plan();
    assertThat(plan.offsets()).containsExactly(0, 48, 0);
    assertThat(plan.plannedBytes()).isEqualTo(64);
  }

  @Test
  void amongEqualSizesTheBufferAddedLastIsPlacedFirst() {
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    planner.addBuffer(16, 0, 1);
    planner.addBuffer(16, 0, 1);
    planner.addBuffer(16, 0, 1);
    assertThat(planner.plan().offsets()).containsExactly(32, 16, 0);
  }

  @Test
  void takesTheFirstGapBetweenOverlappingBuffersThatIsLargeEnough() {
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    int a = planner.addBuffer(64, 0, 1);
    int b = planner.addBuffer(48, 2, 3);
    int c = planner.addBuffer(32, 1, 2);
    int d = planner.addBuffer(16, 3, 3);
    int e = planner.addBuffer(16, 2, 2);
    ArenaPlan plan = planner.plan();
    // A at 0; B meets nothing placed: 0; C meets A and B: 64;
    // E (added after D, so placed first) meets B [0,48) and C [64,96): the gap at 48 fits;
    // D meets only B: 48
    assertThat(plan.offset(a)).isZero();
    assertThat(plan.offset(b)).isZero();
    assertThat(plan.offset(c)).isEqualTo(64);
    assertThat(plan.offset(e)).isEqualTo(48);
    assertThat(plan.offset(d)).isEqualTo(48);
    assertThat(plan.plannedBytes()).isEqualTo(96);
  }

  @Test
  void offlineBuffersKeepTheirOffsetsAndOnlineOnesAvoidThem() {
    GreedyArenaPlanner planner = new GreedyArenaPlanner();
    int fixed = planner.addBuffer(32, 0, 2, 16);
    int online = planner.addBuffer(16, 1, 1);
    ArenaPlan plan = planner.plan();
    assertThat(plan.offset(fixed)).isEqualTo(16);
    assertThat(plan.offset(online)).isZero();
    assertThat(plan.plannedBytes()).isEqualTo(48);
  }

  @Test
  void anEmptyPlanNeedsNothing() {
    assertThat(new GreedyArenaPlanner().plan().plannedBytes()).isZero();
  }

  @Test
  void alignsSizesToSixteenBytes() {
    assertThat(GreedyArenaPlanner.alignUp(0)).isZero();
    assertThat(GreedyArenaPlanner.alignUp(1)).isEqualTo(16);
    assertThat(GreedyArenaPlanner.alignUp(16)).isEqualTo(16);
    assertThat(GreedyArenaPlanner.alignUp(17)).isEqualTo(32);
  }
}
