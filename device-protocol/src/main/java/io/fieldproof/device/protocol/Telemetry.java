package io.fieldproof.device.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One TELEMETRY frame: the latest reading of every configured input.
 *
 * @param seq frame sequence number, counting from 1 since boot
 * @param uptimeMs device uptime when the readings were taken
 * @param readings input name to value; a null value is a dropout (the sensor gave no reading)
 */
public record Telemetry(long seq, long uptimeMs, Map<String, Double> readings) {

  public Telemetry {
    readings =
        readings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(readings));
  }
}
