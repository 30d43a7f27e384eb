package io.fieldproof.operator.rollout.progress;

import io.fabric8.kubernetes.api.model.IntOrString;

/** Reads a count-or-percent field (10 or "10%") against a total. */
public final class CountOrPercent {

  private CountOrPercent() {}

  /** A percent rounds down, as a limit should; null gives the fallback. */
  public static int floor(IntOrString value, int total, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      return (int)
          Math.floor(total * Double.parseDouble(text.substring(0, text.length() - 1)) / 100);
    }
    return Integer.parseInt(text);
  }

  /** A percent rounds up, at least one, as a concurrency should; null gives the fallback. */
  public static int ceilAtLeastOne(IntOrString value, int total, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      double percent = Double.parseDouble(text.substring(0, text.length() - 1));
      return Math.max(1, (int) Math.ceil(total * percent / 100));
    }
    return Math.max(1, Integer.parseInt(text));
  }
}
