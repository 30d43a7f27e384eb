package io.fieldproof.system;

import io.fieldproof.api.v1alpha1.PauseStep;
import io.fieldproof.api.v1alpha1.Step;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the system tests' rollouts are made of: strategy steps, fixture models, a work folder. */
final class RolloutFixtures {

  private RolloutFixtures() {}

  static Step percent(int value) {
    Step step = new Step();
    step.setPercent = value;
    return step;
  }

  /** A pause until promoted ({@code duration} null) or for that long. */
  static Step pause(String duration) {
    Step step = new Step();
    step.pause = new PauseStep();
    step.pause.duration = duration;
    return step;
  }

  static Path fixture(String name) {
    return ProjectPaths.root().resolve("model/fixtures/models").resolve(name);
  }

  /** The folder, emptied of what an earlier run left. */
  static Path cleanDir(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
