package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the kubectl plugin's own unit tests (Python's unittest, {@code kubectl-plugin/tests}) inside
 * the Maven build, so the README's test command covers them.
 */
class KubectlPluginUnitTest {

  @Test
  void pythonUnitTestsPass() {
    Path python =
        RequiredTool.find("python3", "install Python 3 (the plugin is a Python 3 script)");
    Path tests = ProjectPaths.root().resolve("kubectl-plugin/tests");

    ProcessRun run =
        ProcessRun.of(
            List.of(
                python.toString(),
                "-B",
                "-m",
                "unittest",
                "discover",
                "-v",
                "-s",
                tests.toString()),
            Map.of("NO_COLOR", "1"),
            Duration.ofMinutes(2));

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stderr()).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
  }
}
