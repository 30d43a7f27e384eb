package io.fieldproof.device.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every counter a device puts in STATS, as the conformance cases expect it from the C firmware and
 * the Java emulator alike, is named in the docs a user reads (docs/device-runtime.md or
 * docs/device-protocol.md); per-input and per-kind counters ({@code drifting.INPUT}) by their
 * prefix.
 */
class DocumentedCountersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyStatsCounterTheCasesExpectIsDocumented() throws IOException {
    Path conformance = ConformanceTest.conformanceDir();
    Path docs = conformance.getParent().getParent().resolve("docs");
    String documented =
        Files.readString(docs.resolve("device-runtime.md"))
            + Files.readString(docs.resolve("device-protocol.md"));

    Set<String> counters = new TreeSet<>();
    try (Stream<Path> cases = Files.list(conformance)) {
      for (Path file : cases.filter(f -> f.toString().endsWith(".case")).toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("expect 03 01 ")) {
            counters.addAll(namesIn(line));
          }
        }
      }
    }

    assertThat(counters).as("counters the cases expect").hasSizeGreaterThan(20);
    assertThat(counters)
        .allSatisfy(name -> assertThat(documented).as("docs name %s", name).contains("`" + name));
  }

  /** The counter names of one STATS expectation, a per-input or per-kind one by its prefix. */
  private static Set<String> namesIn(String expectation) throws IOException {
    String body = expectation.split(" ", 5)[4].replace("<n>", "0");
    JsonNode counters = JSON.readTree(body).path("counters");
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = counters.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      int dot = name.indexOf('.');
      names.add(dot < 0 ? name : name.substring(0, dot + 1));
    }
    return names;
  }
}
