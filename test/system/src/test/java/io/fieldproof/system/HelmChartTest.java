package io.fieldproof.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.testsupport.Kubectl;
import io.fieldproof.testsupport.LocalControlPlane;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart helm/fieldproof as the tools judge it: {@code helm lint --strict} passes with the
 * default values and each file under test/helm/values; each file under test/helm/bad-values is
 * rejected by the values schema with the message its "# expect:" comment names; the chart's CRDs
 * are the generated ones, byte for byte; and the real API server accepts every rendered object in a
 * server-side dry run.
 */
class HelmChartTest {

  /** The API server warns about any pod template that breaks the restricted Pod Security level. */
  private static final String RESTRICTED_WARNINGS = "pod-security.kubernetes.io/warn=restricted";

  private FieldproofChart chart;

  /** Per test, so that each one reports the skip (or, in CI, the failure) when helm is missing. */
  @BeforeEach
  void chart() {
    chart = FieldproofChart.project();
  }

  static Stream<ChartCase> cases() {
    return ChartCase.all();
  }

  static Stream<Path> badValues() throws IOException {
    return Files.list(ProjectPaths.root().resolve("test/helm/bad-values"))
        .filter(f -> f.toString().endsWith(".yaml"))
        .sorted();
  }

  @Test
  void thereAreCasesForEachModeAndOption() {
    assertThat(cases().map(ChartCase::name))
        .contains(
            "defaults",
            "cluster-wide",
            "namespaced",
            "existing-secret-tls",
            "embedded-broker",
            "servicemonitor");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lintsStrictly(ChartCase chartCase) {
    Helm.Result lint = chart.lint(chartCase.valuesArgs().toArray(String[]::new));

    assertThat(lint.exitCode()).as(lint.toString()).isZero();
    assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValuesAreRejectedNamingTheValue(Path values) throws IOException {
    String expected = expectedMessage(values);
    assertThat(expected).as("the expected message names a value").startsWith("at '");

    Helm.Result template = chart.tryRender("-f", values.toString());
    Helm.Result lint = chart.lint("-f", values.toString());

    assertThat(template.exitCode()).as("exit code of helm template").isNotZero();
    assertThat(template.stderr())
        .contains("values don't meet the specifications of the schema")
        .contains(expected);
    assertThat(lint.exitCode()).as("exit code of helm lint").isNotZero();
    assertThat(lint.stdout() + lint.stderr()).contains(expected);
  }

  @Test
  void theChartCarriesTheGeneratedCrdsByteForByte() throws IOException {
    Path generated = ProjectPaths.root().resolve("crds");
    Path inChart = chart.dir().resolve("crds");

    assertThat(fileNames(inChart))
        .as("helm/fieldproof/crds holds exactly the files of crds/")
        .isEqualTo(fileNames(generated));
    for (String name : fileNames(generated)) {
      assertThat(Files.mismatch(generated.resolve(name), inChart.resolve(name)))
          .as(
              "helm/fieldproof/crds/%s differs from crds/%s: cp crds/*.yml helm/fieldproof/crds/",
              name, name)
          .isEqualTo(-1L);
    }
    assertThat(chart.render("--include-crds").ofKind("CustomResourceDefinition"))
        .as("helm installs them")
        .hasSize(fileNames(generated).size());
  }

  /**
   * The control plane has the CRDs already, applied by another field manager: a forced dry run of
   * them checks them again without a conflict. It has no Prometheus Operator: the ServiceMonitor is
   * the one object left out. The release namespace asks for warnings about pods that break the
   * restricted Pod Security Standard, and there must be none.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theApiServerAcceptsEveryRenderedObject(ChartCase chartCase, @TempDir Path dir)
      throws IOException {
    LocalControlPlane plane = LocalControlPlane.shared();
    RenderedChart rendered = chart.render(chartCase, "--include-crds");
    plane.createNamespace(chartCase.namespace());
    plane
        .kubectl()
        .run("label", "namespace", chartCase.namespace(), RESTRICTED_WARNINGS, "--overwrite");
    rendered.objects().stream()
        .map(o -> o.at("/metadata/namespace").asText())
        .filter(ns -> !ns.isEmpty())
        .distinct()
        .forEach(plane::createNamespace);
    Path manifest = dir.resolve("rendered.yaml");
    Files.writeString(manifest, rendered.yamlWithout("ServiceMonitor"));

    Kubectl.Result result =
        plane
            .kubectl()
            .exec(
                "apply",
                "--server-side",
                "--force-conflicts",
                "--dry-run=server",
                "-f",
                manifest.toString());

    assertThat(result.stderr()).isEmpty();
    assertThat(result.exitCode()).isZero();
    long expected = rendered.objects().size() - rendered.ofKind("ServiceMonitor").count();
    assertThat(result.stdout().lines().filter(l -> l.endsWith("(server dry run)")))
        .hasSize((int) expected);
  }

  private static String expectedMessage(Path values) throws IOException {
    return Files.readAllLines(values).stream()
        .filter(line -> line.startsWith("# expect: "))
        .map(line -> line.substring("# expect: ".length()).trim())
        .findFirst()
        .orElseThrow(() -> new AssertionError(values + " has no '# expect:' comment"));
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
