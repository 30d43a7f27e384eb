package io.fieldproof.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fieldproof.protocol.SelfTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads golden vectors from the JSON a self-test ConfigMap holds, the format the fixture tools
 * write: {@code {"vectors": [{"input": [[int8...]], "output": [[int8...]]}]}}, nested arrays
 * flattened (tensor 0 in and out). At most {@link SelfTest#MAX_VECTORS} travel to the devices.
 */
final class SelfTestVectors {

  private SelfTestVectors() {}

  /** The self-test, or an exception whose message says what is wrong with the JSON. */
  static SelfTest read(byte[] json, int tolerance) throws IOException {
    JsonNode root = Serialization.jsonMapper().readTree(json);
    if (root == null || !root.has("vectors") || !root.get("vectors").isArray()) {
      throw new IOException("the JSON has no \"vectors\" array");
    }
    List<SelfTest.Vector> vectors = new ArrayList<>();
    for (JsonNode vector : root.get("vectors")) {
      if (vectors.size() == SelfTest.MAX_VECTORS) {
        break;
      }
      vectors.add(
          new SelfTest.Vector(
              flat(vector.get("input"), vectors.size(), "input"),
              flat(vector.get("output"), vectors.size(), "output")));
    }
    if (vectors.isEmpty()) {
      throw new IOException("the \"vectors\" array is empty");
    }
    SelfTest selfTest = new SelfTest(tolerance, vectors);
    if (!selfTest.problems().isEmpty()) {
      throw new IOException(String.join("; ", selfTest.problems()));
    }
    return selfTest;
  }

  private static List<Integer> flat(JsonNode node, int index, String field) throws IOException {
    if (node == null) {
      throw new IOException("vector " + index + " has no " + field);
    }
    List<Integer> out = new ArrayList<>();
    collect(node, out, index, field);
    return out;
  }

  private static void collect(JsonNode node, List<Integer> out, int index, String field)
      throws IOException {
    if (node.isArray()) {
      for (JsonNode child : node) {
        collect(child, out, index, field);
      }
    } else if (node.isInt()) {
      out.add(node.asInt());
    } else {
      throw new IOException("vector " + index + " " + field + " holds " + node + ", not an int8");
    }
  }
}
