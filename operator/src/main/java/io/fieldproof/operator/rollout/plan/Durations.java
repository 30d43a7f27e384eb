package io.fieldproof.operator.rollout.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations of the CRDs ({@code 10m}, {@code 1h30m}, {@code 1.5s}, {@code 500ms}), the
 * pattern the API server already enforces; null or blank gives the fallback.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    Matcher part = PART.matcher(text);
    BigDecimal millis = BigDecimal.ZERO;
    int end = 0;
    while (part.find()) {
      if (part.start() != end) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      end = part.end();
      millis = millis.add(new BigDecimal(part.group(1)).multiply(unitMillis(part.group(2))));
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return Duration.ofMillis(millis.longValue());
  }

  private static BigDecimal unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> BigDecimal.ONE;
      case "s" -> BigDecimal.valueOf(1_000);
      case "m" -> BigDecimal.valueOf(60_000);
      default -> BigDecimal.valueOf(3_600_000);
    };
  }
}
