package io.fieldproof.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Self-tests built from the golden vectors checked in beside the fixture models
 * (model/fixtures/models/*.golden.json), found by the sha256 of the model they belong to.
 */
final class GoldenVectors {

  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  private GoldenVectors() {}

  /** A self-test of the first {@code count} golden vectors of the fixture model {@code model}. */
  static SelfTest selfTest(byte[] model, int count) throws IOException {
    String sha = HexFormat.of().formatHex(ModelSlots.sha256(model));
    try (var files = Files.list(MODELS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".golden.json")).toList()) {
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        if (json.get("sha256").asText().equals(sha)) {
          List<SelfTest.Vector> vectors = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            JsonNode vector = json.get("vectors").get(i);
            vectors.add(
                new SelfTest.Vector(
                    ints(vector.get("input").get(0)), ints(vector.get("output").get(0))));
          }
          return new SelfTest(0, vectors);
        }
      }
    }
    throw new IllegalStateException("no golden vectors for the model");
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }
}
