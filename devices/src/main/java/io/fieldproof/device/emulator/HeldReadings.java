package io.fieldproof.device.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readings the emulators hold instead of their sensor scenarios ({@code --hold}), always or in
 * episodes ({@code --hold-cycle}): a regime of the field, such as a pump running at low load or
 * with a worn bearing, that the devices then capture windows of.
 *
 * @param values the reading held per input name
 * @param onSeconds how long each episode holds them
 * @param offSeconds how long the scenarios run between episodes; 0 holds for good
 * @param episodes how many episodes there are before the scenarios run for good; 0 for no end
 */
public record HeldReadings(
    Map<String, Double> values, int onSeconds, int offSeconds, int episodes) {

  public HeldReadings {
    values = Map.copyOf(values);
    if (onSeconds < 1 || offSeconds < 0 || episodes < 0) {
      throw new IllegalArgumentException(
          "--hold-cycle needs ON of at least 1 s, OFF of at least 0 s and a COUNT of at least 0,"
              + " not "
              + onSeconds
              + "/"
              + offSeconds
              + "x"
              + episodes);
    }
  }

  static HeldReadings none() {
    return new HeldReadings(Map.of(), 1, 0, 0);
  }

  boolean any() {
    return !values.isEmpty();
  }

  boolean cycles() {
    return offSeconds > 0;
  }

  /** Whether second {@code second} of the devices' running lies in an episode. */
  boolean heldAt(long second) {
    long period = onSeconds + offSeconds;
    if (episodes > 0 && second >= episodes * period) {
      return false;
    }
    return !cycles() || second % period < onSeconds;
  }

  HeldReadings with(String assignment) {
    int equals = assignment.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException("--hold takes INPUT=VALUE, not " + assignment);
    }
    Map<String, Double> more = new LinkedHashMap<>(values);
    try {
      more.put(
          assignment.substring(0, equals), Double.parseDouble(assignment.substring(equals + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--hold takes INPUT=VALUE, not " + assignment, e);
    }
    return new HeldReadings(more, onSeconds, offSeconds, episodes);
  }

  HeldReadings cycling(String onOffCount) {
    String problem = "--hold-cycle takes ON/OFF[xCOUNT] in seconds, not " + onOffCount;
    String[] counted = onOffCount.split("x", 2);
    String[] parts = counted[0].split("/", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException(problem);
    }
    try {
      return new HeldReadings(
          values,
          Integer.parseInt(parts[0].trim()),
          Integer.parseInt(parts[1].trim()),
          counted.length == 2 ? Integer.parseInt(counted[1].trim()) : 0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(problem, e);
    }
  }
}
