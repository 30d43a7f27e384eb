package io.fieldproof.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs committed under crds/ must be exactly what the classes generate. */
class CommittedCrdsTest {

  private static final String HOW_TO_FIX =
      "crds/ is out of date with the api classes: run ./mvnw -pl api -Pupdate-crds"
          + " process-test-classes and commit the result";

  @Test
  void committedCrdsMatchTheClasses() throws IOException {
    Path generated = Path.of(System.getProperty("fieldproof.crd.generated"));
    Path committed = Path.of(System.getProperty("fieldproof.crd.committed"));
    List<String> names = yamlFiles(generated);
    assertThat(names).as("generated CRDs").hasSize(3);
    assertThat(yamlFiles(committed)).as(HOW_TO_FIX).containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(committed.resolve(name)))
          .as(HOW_TO_FIX + " (" + name + ")")
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  @Test
  void committedReferenceMatchesTheClasses() throws IOException {
    Path generated = Path.of(System.getProperty("fieldproof.crd.reference.generated"));
    Path committed = Path.of(System.getProperty("fieldproof.crd.reference.committed"));
    assertThat(Files.readString(committed))
        .as("docs/crd-reference.md is out of date: " + HOW_TO_FIX)
        .isEqualTo(Files.readString(generated));
  }

  private static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }
}
