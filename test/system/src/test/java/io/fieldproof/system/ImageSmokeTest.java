package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.ProjectPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The three images of scripts/images.sh run under podman the way the chart runs them: the operator
 * against a kube-apiserver with a read-only root, the agent against a Mosquitto, the broker keeping
 * a retained message across a restart (test/images/smoke.sh says what it checks). Needs root, as
 * podman here does; in CI a failure to run fails the test.
 */
class ImageSmokeTest {

  @Test
  void eachImageRunsAsTheChartRunsIt() {
    RealNode.requireRoot();
    ProcessRun run =
        ProcessRun.of(
            List.of(
                "bash",
                ProjectPaths.root().resolve("test/images/smoke.sh").toString(),
                "--no-build"),
            Map.of(),
            Duration.ofMinutes(20));

    assertThat(run.ok()).as(run.describe()).isTrue();
  }
}
