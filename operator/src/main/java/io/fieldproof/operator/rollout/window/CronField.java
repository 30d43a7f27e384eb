package io.fieldproof.operator.rollout.window;

import java.util.BitSet;

/**
 * One field of a cron schedule: the values it allows, out of {@code min..max}. A field is {@code
 * *}, a number, a range {@code a-b}, either with a step {@code /n} ({@code 5/15} is {@code
 * 5-max/15}), or a comma-separated list of those.
 */
final class CronField {

  private final BitSet values;
  private final boolean any;

  private CronField(BitSet values, boolean any) {
    this.values = values;
    this.any = any;
  }

  /**
   * @param text the field
   * @param name the field's name, for messages
   * @throws IllegalArgumentException naming the field and the value out of range
   */
  static CronField parse(String text, String name, int min, int max) {
    BitSet values = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(name + " \"" + text + "\" has an empty list item");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), name, part);
        if (step < 1) {
          throw new IllegalArgumentException(
              name + " \"" + part + "\": the step must be at least 1");
        }
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        int dash = range.indexOf('-');
        from = number(range.substring(0, dash), name, part);
        to = number(range.substring(dash + 1), name, part);
      } else {
        from = number(range, name, part);
        to = slash >= 0 ? max : from;
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException(
            name + " \"" + part + "\" is outside " + min + "-" + max + " or an empty range");
      }
      for (int v = from; v <= to; v += step) {
        values.set(v);
      }
    }
    return new CronField(values, text.equals("*"));
  }

  private static int number(String text, String name, String part) {
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 4) {
      throw new IllegalArgumentException(name + " \"" + part + "\" is not a number, range or step");
    }
    return Integer.parseInt(text);
  }

  boolean allows(int value) {
    return values.get(value);
  }

  /** Whether the field was {@code *}: day-of-month and day-of-week combine by it. */
  boolean any() {
    return any;
  }

  /** The allowed values in order. */
  int[] values() {
    return values.stream().toArray();
  }
}
