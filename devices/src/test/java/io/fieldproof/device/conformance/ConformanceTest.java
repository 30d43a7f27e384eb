package io.fieldproof.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the device conformance cases of {@code firmware/conformance/} against the Java emulator, the
 * same files the C firmware's host tests run. A case that {@code known-disagreements.txt} lists as
 * wrong on the java side must fail here (so fixing the emulator shows up as a list to update);
 * every other case must pass.
 */
class ConformanceTest {

  @TestFactory
  Stream<DynamicTest> casesAgainstTheJavaEmulator() throws IOException {
    Path dir = conformanceDir();
    Map<String, String> wrongInJava = ConformanceCases.disagreements(dir, "java");
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCases.Case c : ConformanceCases.load(dir)) {
      String why = wrongInJava.get(c.name());
      if (why == null) {
        tests.add(DynamicTest.dynamicTest(c.name(), () -> EmulatorCaseRunner.run(c)));
      } else {
        tests.add(
            DynamicTest.dynamicTest(
                c.name() + " (known: " + why + ")",
                () -> assertThrows(AssertionError.class, () -> EmulatorCaseRunner.run(c))));
      }
    }
    assertThat(tests).isNotEmpty();
    return tests.stream();
  }

  /** {@code firmware/conformance} of the repository, found from the module directory upwards. */
  static Path conformanceDir() {
    Path at = Path.of("").toAbsolutePath();
    while (at != null) {
      Path candidate = at.resolve("firmware").resolve("conformance");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      at = at.getParent();
    }
    throw new IllegalStateException("firmware/conformance not found above " + Path.of(""));
  }
}
