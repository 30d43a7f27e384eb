package io.fieldproof.operator.fleet;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one instance of the values that the fleet index would otherwise hold once per device,
 * although most devices share them: chips, firmware versions, label sets, capability lists, gateway
 * names, the models in their slots, phases, and the configs of desired states. Each message decoded
 * from MQTT brings its own copies; at 100 000 devices those copies are most of the index. Bounded
 * ({@link #MAX_VALUES}): past it a value is kept as it came, so a fleet of all-distinct values
 * costs what it did without this, never more.
 */
final class Canonical {

  static final int MAX_VALUES = 100_000;

  private final Map<Object, Object> values = new HashMap<>();

  /** The instance held for a value equal to {@code value}, or {@code value} itself. */
  @SuppressWarnings("unchecked")
  synchronized <T> T of(T value) {
    if (value == null) {
      return null;
    }
    Object held = values.get(value);
    if (held != null) {
      return (T) held;
    }
    if (values.size() < MAX_VALUES) {
      values.put(value, value);
    }
    return value;
  }

  synchronized int size() {
    return values.size();
  }
}
