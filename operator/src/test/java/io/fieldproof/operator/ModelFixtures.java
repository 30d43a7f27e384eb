package io.fieldproof.operator;

import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked-in test models under model/fixtures/models: a fixture {@code name} is the model
 * {@code name.tflite} with its golden self-test vectors {@code name.golden.json}.
 */
final class ModelFixtures {

  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");

  private ModelFixtures() {}

  /** The bytes of the file {@code file} (with its extension) among the fixture models. */
  static byte[] bytes(String file) {
    try {
      return Files.readAllBytes(MODELS.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The model of fixture {@code name}. */
  static byte[] model(String name) {
    return bytes(name + ".tflite");
  }

  /** The golden self-test vectors of fixture {@code name}, as selftest.json holds them. */
  static String golden(String name) {
    try {
      return Files.readString(MODELS.resolve(name + ".golden.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
