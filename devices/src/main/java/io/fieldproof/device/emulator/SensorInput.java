package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A configured input as the emulator's synthetic sensor sees it: its name and the operating point
 * taken from the input's configuration.
 *
 * @param name the input name, the key of its readings in TELEMETRY
 * @param baseline the mean of clean readings
 * @param scale the unit of the scenario amplitudes, positive
 */
public record SensorInput(String name, double baseline, double scale) {

  private static final double DEFAULT_SCALE = 1.0;
  private static final double RANGE_TO_SCALE = 0.1;

  public SensorInput {
    if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(baseline)) {
      throw new IllegalArgumentException("baseline must be finite and scale positive");
    }
  }

  /**
   * The operating point of one entry of the configuration's {@code inputs}, from the first of:
   *
   * <ol>
   *   <li>z-score normalization, {@code normalize: {kind: "zscore", a: mean, b: std}} or {@code
   *       normalize: {mean, std}}: baseline = mean, scale = std;
   *   <li>min-max normalization, {@code normalize: {kind: "minmax", a: min, b: max}} or {@code
   *       normalize: {min, max}}: the middle of the range and a tenth of its width;
   *   <li>the valid range, {@code min} and {@code max} of the input or {@code validRange: {min,
   *       max}}: likewise;
   *   <li>otherwise baseline 0 and scale 1.
   * </ol>
   */
  public static SensorInput fromConfig(String name, JsonNode input) {
    JsonNode normalize = input.path("normalize");
    String kind = normalize.path("kind").asText("");
    if (kind.equals("zscore") && isNumber(normalize.path("a")) && isPositive(normalize.path("b"))) {
      return new SensorInput(name, normalize.get("a").asDouble(), normalize.get("b").asDouble());
    }
    if (isNumber(normalize.path("mean")) && isPositive(normalize.path("std"))) {
      return new SensorInput(
          name, normalize.get("mean").asDouble(), normalize.get("std").asDouble());
    }
    if (kind.equals("minmax") && isRange(normalize.path("a"), normalize.path("b"))) {
      return fromRange(name, normalize.get("a"), normalize.get("b"));
    }
    for (JsonNode range : new JsonNode[] {normalize, input, input.path("validRange")}) {
      if (isRange(range.path("min"), range.path("max"))) {
        return fromRange(name, range.get("min"), range.get("max"));
      }
    }
    return new SensorInput(name, 0.0, DEFAULT_SCALE);
  }

  private static SensorInput fromRange(String name, JsonNode minNode, JsonNode maxNode) {
    double min = minNode.asDouble();
    double max = maxNode.asDouble();
    return new SensorInput(name, (min + max) / 2, (max - min) * RANGE_TO_SCALE);
  }

  private static boolean isRange(JsonNode min, JsonNode max) {
    return isNumber(min) && isNumber(max) && max.asDouble() > min.asDouble();
  }

  private static boolean isNumber(JsonNode node) {
    return node.isNumber() && Double.isFinite(node.asDouble());
  }

  private static boolean isPositive(JsonNode node) {
    return isNumber(node) && node.asDouble() > 0;
  }
}
