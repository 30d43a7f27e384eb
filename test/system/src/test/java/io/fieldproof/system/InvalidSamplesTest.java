package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest under samples/invalid breaks exactly one rule; the real API server rejects it with
 * the message its "# expect:" comment names, and that message names the offending field.
 */
class InvalidSamplesTest {

  private static String namespace;

  @BeforeAll
  static void namespace() {
    namespace = LocalControlPlane.shared().createNamespace("invalid-samples");
  }

  static Stream<Path> invalidManifests() throws IOException {
    return Files.list(ProjectPaths.root().resolve("samples/invalid"))
        .filter(f -> f.toString().endsWith(".yaml"))
        .sorted();
  }

  @Test
  void thereAreAtLeastTwelve() throws IOException {
    assertThat(invalidManifests()).hasSizeGreaterThanOrEqualTo(12);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void rejectedWithTheDocumentedMessage(Path manifest) throws IOException {
    String expected = expectedMessage(manifest);
    String field = expected.substring(0, expected.indexOf(':'));
    assertThat(field).as("the expected message names a field").startsWith("spec");
    Kubectl kubectl = LocalControlPlane.shared().kubectl();

    Kubectl.Result result = kubectl.exec("apply", "-n", namespace, "-f", manifest.toString());

    assertThat(result.exitCode()).as("exit code of kubectl apply").isNotZero();
    assertThat(result.stderr()).contains(expected).contains(field);
    String name = objectName(manifest);
    assertThat(kubectl.exec("get", kindOf(manifest), name, "-n", namespace).exitCode())
        .as("nothing was stored for " + name)
        .isNotZero();
  }

  private static String expectedMessage(Path manifest) throws IOException {
    return Files.readAllLines(manifest).stream()
        .filter(line -> line.startsWith("# expect: "))
        .map(line -> line.substring("# expect: ".length()).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError(manifest + " has no '# expect:' comment"));
  }

  private static String objectName(Path manifest) throws IOException {
    return Files.readAllLines(manifest).stream()
        .filter(line -> line.startsWith("  name: "))
        .map(line -> line.substring("  name: ".length()).trim())
        .findFirst()
        .orElseThrow();
  }

  private static String kindOf(Path manifest) throws IOException {
    return Files.readString(manifest).contains("kind: DeviceGroup")
        ? "devicegroup"
        : "modelrollout";
  }
}
