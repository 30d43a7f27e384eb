package io.fieldproof.system;

import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One way of installing the chart: its default values, or one values file under test/helm/values.
 * Each renders into a namespace of its own, helm-NAME.
 */
record ChartCase(String name, Path values) {

  /** The default values, then every values file, sorted. */
  static Stream<ChartCase> all() {
    List<ChartCase> cases = new ArrayList<>();
    cases.add(new ChartCase("defaults", null));
    try (Stream<Path> files = Files.list(ProjectPaths.root().resolve("test/helm/values"))) {
      files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .forEach(f -> cases.add(new ChartCase(stem(f), f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases.stream();
  }

  static ChartCase named(String name) {
    return all()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no test/helm/values/" + name + ".yaml"));
  }

  String namespace() {
    return "helm-" + name;
  }

  /** The helm arguments that pick these values. */
  List<String> valuesArgs() {
    return values == null ? List.of() : List.of("-f", values.toString());
  }

  @Override
  public String toString() {
    return name;
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }
}
