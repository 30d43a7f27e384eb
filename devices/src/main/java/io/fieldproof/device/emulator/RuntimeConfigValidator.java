package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The minimal checks the emulated runtime makes on a configuration before applying it: an object
 * with an {@code inputs} array of at most {@value #MAX_INPUTS} objects, each with a unique,
 * non-empty string {@code name} of at most {@value #MAX_NAME_LENGTH} characters, and, when present
 * and not null, a positive {@code reportIntervalSeconds}. Everything else is opaque to the
 * emulator.
 */
final class RuntimeConfigValidator {

  /** Most inputs a configuration may have, so that a TELEMETRY body fits in one frame. */
  static final int MAX_INPUTS = 32;

  /** Longest input name. */
  static final int MAX_NAME_LENGTH = 63;

  private RuntimeConfigValidator() {}

  /** The sensor inputs of {@code config}, in order. */
  static List<SensorInput> inputs(JsonNode config) throws InvalidConfigException {
    if (config == null || !config.isObject()) {
      throw new InvalidConfigException("config must be a JSON object");
    }
    JsonNode interval = config.get("reportIntervalSeconds");
    if (interval != null
        && !interval.isNull()
        && !(interval.isNumber() && interval.asDouble() > 0)) {
      throw new InvalidConfigException("reportIntervalSeconds must be a positive number");
    }
    JsonNode inputs = config.get("inputs");
    if (inputs == null || !inputs.isArray()) {
      throw new InvalidConfigException("config must have an inputs array");
    }
    if (inputs.size() > MAX_INPUTS) {
      throw new InvalidConfigException(
          "config has " + inputs.size() + " inputs, at most " + MAX_INPUTS + " are supported");
    }
    List<SensorInput> result = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode input : inputs) {
      String name = name(input, result.size());
      if (!names.add(name)) {
        throw new InvalidConfigException("input name " + name + " appears twice");
      }
      result.add(SensorInput.fromConfig(name, input));
    }
    return result;
  }

  private static String name(JsonNode input, int index) throws InvalidConfigException {
    JsonNode name = input.get("name");
    if (!input.isObject() || name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new InvalidConfigException("inputs[" + index + "] must have a non-empty string name");
    }
    if (name.asText().length() > MAX_NAME_LENGTH) {
      throw new InvalidConfigException(
          "inputs[" + index + "].name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    return name.asText();
  }
}
