package io.fieldproof.device.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.RuntimeConfig;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

  private static final RuntimeConfig.Reference REF = new RuntimeConfig.Reference(10.0, 2.0);

  @Test
  void aSensorInstalledWithAnOffsetDriftsFromItsFirstReadings() {
    DriftMonitor monitor = new DriftMonitor(REF, 100, 3.0, 5);
    for (int i = 0; i < 4; i++) {
      monitor.add(18.0); // 4 sigma above the training mean, from the first reading on
      assertThat(monitor.drifting()).as("reading %d", i + 1).isFalse();
    }
    monitor.add(18.0);
    assertThat(monitor.drifting()).isTrue();
    assertThat(monitor.milliSigma()).isEqualTo(4000);
  }

  @Test
  void aSensorAtTheReferenceNeverDrifts() {
    DriftMonitor monitor = new DriftMonitor(REF, 20, 3.0, 1);
    for (int i = 0; i < 1000; i++) {
      monitor.add(i % 2 == 0 ? 8.0 : 12.0);
      assertThat(monitor.drifting()).isFalse();
    }
    assertThat(monitor.shiftSigma()).isLessThan(0.1);
  }

  @Test
  void theRunningMeanIsThePlainMeanOfTheFirstWindowThenWeightedByOneOverTheWindow() {
    DriftMonitor monitor = new DriftMonitor(new RuntimeConfig.Reference(0, 1), 4, 100, 1);
    monitor.add(4);
    assertThat(monitor.shiftSigma()).isEqualTo(4.0);
    monitor.add(0);
    monitor.add(2);
    assertThat(monitor.shiftSigma()).isEqualTo(2.0); // (4 + 0 + 2) / 3
    monitor.add(10);
    assertThat(monitor.shiftSigma()).isEqualTo(4.0); // the window's 4th: (4 + 0 + 2 + 10) / 4
    monitor.add(-8);
    assertThat(monitor.shiftSigma()).isEqualTo(1.0); // then weighted: 4 + (-8 - 4) / 4
  }

  @Test
  void theShiftMustStayPastTheLimitForMinSamplesInARow() {
    DriftMonitor monitor = new DriftMonitor(new RuntimeConfig.Reference(0, 1), 2, 1.0, 3);
    monitor.add(2); // mean 2
    monitor.add(2); // 2
    monitor.add(0); // 1: not past 1.0, the run starts again
    monitor.add(3); // 2
    monitor.add(3); // 2.5
    assertThat(monitor.drifting()).isFalse();
    monitor.add(3); // 2.75: third in a row
    assertThat(monitor.drifting()).isTrue();
    monitor.add(-5); // -1.125: |shift| 1.125, still past
    assertThat(monitor.drifting()).isTrue();
    monitor.add(1); // -0.0625
    assertThat(monitor.drifting()).isFalse();
  }

  @Test
  void anInputWithoutAReferenceIsNotMeasured() {
    DriftMonitor monitor = new DriftMonitor(null, 10, 3.0, 1);
    monitor.add(1e9);
    assertThat(monitor.measured()).isFalse();
    assertThat(monitor.drifting()).isFalse();
    assertThat(monitor.milliSigma()).isZero();
  }

  @Test
  void theMagnitudeIsTruncatedToMilliSigmaAndCapped() {
    DriftMonitor monitor = new DriftMonitor(new RuntimeConfig.Reference(0, 3), 10, 3.0, 1);
    monitor.add(1); // 0.3333 sigma
    assertThat(monitor.milliSigma()).isEqualTo(333);
    DriftMonitor huge = new DriftMonitor(new RuntimeConfig.Reference(0, 1e-300), 10, 3.0, 1);
    huge.add(1e300);
    assertThat(huge.milliSigma()).isEqualTo(DriftMonitor.MAX_MILLI_SIGMA);
    DriftMonitor notFinite = new DriftMonitor(new RuntimeConfig.Reference(0, 1), 10, 3.0, 1);
    notFinite.add(Double.POSITIVE_INFINITY);
    notFinite.add(Double.NEGATIVE_INFINITY);
    assertThat(notFinite.milliSigma()).isEqualTo(DriftMonitor.MAX_MILLI_SIGMA);
    assertThat(notFinite.drifting()).isFalse();
  }

  @Test
  void theReferenceIsExplicitElseTheNormalizations() {
    var zscore = new RuntimeConfig.Normalize("zscore", 0.42, 0.13);
    var minmax = new RuntimeConfig.Normalize("minmax", -40, 125);
    assertThat(input(zscore, null).driftReference())
        .isEqualTo(new RuntimeConfig.Reference(0.42, 0.13));
    assertThat(input(minmax, null).driftReference())
        .isEqualTo(new RuntimeConfig.Reference(42.5, 165 / Math.sqrt(12)));
    assertThat(input(zscore, REF).driftReference()).isEqualTo(REF);
    assertThat(input(null, REF).driftReference()).isEqualTo(REF);
    assertThat(input(null, null).driftReference()).isNull();
  }

  private static RuntimeConfig.Input input(
      RuntimeConfig.Normalize normalize, RuntimeConfig.Reference reference) {
    return new RuntimeConfig.Input("t", null, null, null, null, null, normalize, reference);
  }
}
