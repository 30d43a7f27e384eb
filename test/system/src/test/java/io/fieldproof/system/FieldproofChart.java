package io.fieldproof.system;

import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The chart helm/fieldproof (or a copy of it), rendered and linted by the installed helm. */
final class FieldproofChart {

  static final String RELEASE = "fp";

  /** The name of the release's objects: release name, then chart name. */
  static final String FULLNAME = "fp-fieldproof";

  private final Helm helm;
  private final Path dir;

  private FieldproofChart(Helm helm, Path dir) {
    this.helm = helm;
    this.dir = dir;
  }

  /** The project's chart; the test ends here when helm is missing (see {@link Helm}). */
  static FieldproofChart project() {
    return new FieldproofChart(Helm.installed(), ProjectPaths.root().resolve("helm/fieldproof"));
  }

  Path dir() {
    return dir;
  }

  /** {@code helm template} of one case into its namespace, failing the test unless it renders. */
  RenderedChart render(ChartCase chartCase, String... more) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, dir.toString()));
    args.addAll(List.of("-n", chartCase.namespace()));
    args.addAll(chartCase.valuesArgs());
    args.addAll(List.of(more));
    return RenderedChart.parse(helm.run(args.toArray(String[]::new)));
  }

  /** {@code helm template} with the arguments given after the chart, failing unless it renders. */
  RenderedChart render(String... more) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, dir.toString()));
    args.addAll(List.of(more));
    return RenderedChart.parse(helm.run(args.toArray(String[]::new)));
  }

  /** {@code helm template} that may fail: exit code and output. */
  Helm.Result tryRender(String... more) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, dir.toString()));
    args.addAll(List.of(more));
    return helm.exec(args.toArray(String[]::new));
  }

  /** {@code helm lint --strict} with the arguments given after the chart. */
  Helm.Result lint(String... more) {
    List<String> args = new ArrayList<>(List.of("lint", "--strict", dir.toString()));
    args.addAll(List.of(more));
    return helm.exec(args.toArray(String[]::new));
  }

  /** A copy of the chart under {@code target}, to render with files the project does not hold. */
  FieldproofChart copyTo(Path target) throws IOException {
    Path copy = target.resolve(dir.getFileName().toString());
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path source : paths.toList()) {
        Path destination = copy.resolve(dir.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(source, destination);
        }
      }
    }
    return new FieldproofChart(helm, copy);
  }
}
