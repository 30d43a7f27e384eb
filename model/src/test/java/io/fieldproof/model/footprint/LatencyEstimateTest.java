package io.fieldproof.model.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.model.fixtures.Fixtures;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The latency estimate against the Cortex-M4 figures of firmware/scripts/bench-cortex-m4.py
 * (instructions per inference under QEMU -icount: deterministic, so this is not a timed test).
 */
class LatencyEstimateTest {

  /**
   * The estimate is within this share of every measured model (the fit reaches 22 %:
   * flatten_dynamic_batch).
   */
  private static final double TOLERANCE = 0.25;

  private record Measured(String model, long macs, long instructions, List<OperatorCost> costs) {}

  private static List<Measured> measured() throws IOException {
    JsonNode figures;
    try (InputStream in =
        LatencyEstimateTest.class.getResourceAsStream("cortex-m4-calibration.json")) {
      figures = new ObjectMapper().readTree(in);
    }
    List<Measured> rows = new ArrayList<>();
    for (JsonNode row : figures.get("inference")) {
      String model = row.get("model").asText();
      TfliteModel tflite = TfliteModel.read(Fixtures.model(model + ".tflite"));
      rows.add(
          new Measured(
              model,
              row.get("macs").asLong(),
              row.get("instructions").asLong(),
              Footprint.of(tflite).costs()));
    }
    return rows;
  }

  @Test
  void everyMeasuredModelIsWithinTheTolerance() throws IOException {
    List<Measured> rows = measured();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(8);
    for (Measured row : rows) {
      long estimate = LatencyEstimate.STM32F4.cycles(row.costs());
      assertThat((double) estimate)
          .as(
              "%s: estimate %d cycles, measured %d instructions",
              row.model(), estimate, row.instructions())
          .isCloseTo(row.instructions(), within(TOLERANCE * row.instructions()));
    }
  }

  @Test
  void theFirmwareCountsTheSameMacsAsMacCounter() throws IOException {
    for (Measured row : measured()) {
      long macs = row.costs().stream().mapToLong(OperatorCost::macs).sum();
      assertThat(macs).as(row.model()).isEqualTo(row.macs());
    }
  }

  @Test
  void theCoefficientsAreTheLeastSquaresFitOfTheFigures() throws IOException {
    double[] fit = fit(measured());
    assertThat(Math.round(fit[0])).isEqualTo(LatencyEstimate.CORTEX_M4_DENSE_MAC);
    assertThat(Math.round(fit[1])).isEqualTo(LatencyEstimate.CORTEX_M4_CONV_MAC);
    assertThat(Math.round(fit[2])).isEqualTo(LatencyEstimate.CORTEX_M4_OPERATOR);
  }

  @Test
  void cyclesBecomeMicrosecondsAtEachChipsClock() {
    List<OperatorCost> costs =
        Footprint.of(TfliteModel.read(Fixtures.model("dense_anomaly.tflite"))).costs();
    assertThat(LatencyEstimate.STM32F4.cycles(costs)).isEqualTo(200 * 8 + 4 * 741);
    assertThat(LatencyEstimate.STM32F4.micros(4564)).isEqualTo(27);
    assertThat(LatencyEstimate.STM32L4.micros(4564)).isEqualTo(57);
    assertThat(LatencyEstimate.ESP32.micros(4564)).isEqualTo(19);
    assertThat(LatencyEstimate.forChip("esp32s3")).contains(LatencyEstimate.ESP32S3);
    assertThat(LatencyEstimate.forChip("nrf52")).isEmpty();
    assertThat(LatencyEstimate.profiles())
        .extracting(ChipProfile::chip)
        .containsExactly("esp32", "esp32s3", "stm32f4", "stm32l4");
  }

  /**
   * Least squares on relative error: minimizes the sum over models of ((estimate - measured) /
   * measured)^2 for cycles = dense MACs x a + convolution MACs x b + operators x c.
   */
  private static double[] fit(List<Measured> rows) {
    double[][] normal = new double[3][4];
    for (Measured row : rows) {
      double[] x = features(row);
      double y = row.instructions();
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          normal[i][j] += x[i] * x[j] / (y * y);
        }
        normal[i][3] += x[i] / y;
      }
    }
    return solve(normal);
  }

  private static double[] features(Measured row) {
    double dense = 0;
    double conv = 0;
    for (OperatorCost cost : row.costs()) {
      switch (cost.operator()) {
        case CONV_2D, DEPTHWISE_CONV_2D -> conv += cost.macs();
        default -> dense += cost.macs();
      }
    }
    return new double[] {dense, conv, row.costs().size()};
  }

  /** Gauss-Jordan elimination with partial pivoting of an n x (n + 1) augmented matrix. */
  private static double[] solve(double[][] m) {
    int n = m.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int c = col; c <= n; c++) {
            m[r][c] -= f * m[col][c];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }
}
