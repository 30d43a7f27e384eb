package io.fieldproof.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Runtime configurations for tests, shaped like the ones the operator derives from a group. */
public final class RuntimeConfigs {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RuntimeConfigs() {}

  /** A configuration with one input per name, each with a valid range of 0..100. */
  public static ObjectNode withInputs(String... names) {
    ObjectNode config = MAPPER.createObjectNode();
    ArrayNode inputs = config.putArray("inputs");
    for (String name : names) {
      ObjectNode input = inputs.addObject();
      input.put("name", name);
      input.putObject("validRange").put("min", 0).put("max", 100);
    }
    config.put("reportIntervalSeconds", 1);
    return config;
  }

  /** Parses {@code json}. */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
