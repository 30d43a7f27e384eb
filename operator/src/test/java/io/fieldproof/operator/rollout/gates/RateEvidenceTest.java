package io.fieldproof.operator.rollout.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateEvidenceTest {

  @Test
  void theTailOfAFairCoinIsExact() {
    assertThat(RateEvidence.pValue(10, 8, 0.5)).isCloseTo(56 / 1024.0, within(1e-12));
    assertThat(RateEvidence.pValue(10, 9, 0.5)).isCloseTo(11 / 1024.0, within(1e-12));
    assertThat(RateEvidence.pValue(10, 10, 0.5)).isCloseTo(1 / 1024.0, within(1e-12));
  }

  @Test
  void countsAtOrBelowTheLimitAreNoEvidence() {
    assertThat(RateEvidence.pValue(1000, 10, 0.01)).isEqualTo(1);
    assertThat(RateEvidence.pValue(1000, 0, 0.01)).isEqualTo(1);
    assertThat(RateEvidence.exceeds(1000, 12, 0.01)).isFalse();
  }

  @Test
  void aLimitOfZeroIsBrokenByOneEventAndALimitOfOneNever() {
    assertThat(RateEvidence.exceeds(500, 1, 0)).isTrue();
    assertThat(RateEvidence.exceeds(500, 500, 1)).isFalse();
  }

  @Test
  void largeCountsUseStirlingAndAgreeWithTheSmallTable() {
    // 200 of 10,000 against 1 %: about 10 standard deviations above, a vanishing tail
    assertThat(RateEvidence.pValue(10_000, 200, 0.01)).isLessThan(1e-15);
    // 110 of 10,000 against 1 %: one standard deviation, not significant
    double oneSigma = RateEvidence.pValue(10_000, 110, 0.01);
    assertThat(oneSigma).isBetween(0.13, 0.19);
    // 120 of 10,000: two sigma, not enough at 1 %; 130, three sigma, is
    assertThat(RateEvidence.exceeds(10_000, 120, 0.01)).isFalse();
    assertThat(RateEvidence.exceeds(10_000, 130, 0.01)).isTrue();
  }

  @Test
  void moreTrialsWithTheSameRateMakeStrongerEvidence() {
    double few = RateEvidence.pValue(20, 4, 0.1);
    double many = RateEvidence.pValue(2000, 400, 0.1);
    assertThat(few).isGreaterThan(RateEvidence.SIGNIFICANCE);
    assertThat(many).isLessThan(RateEvidence.SIGNIFICANCE);
  }
}
