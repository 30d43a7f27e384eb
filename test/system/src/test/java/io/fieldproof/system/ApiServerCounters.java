package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.testsupport.LocalControlPlane;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's request counts ({@code apiserver_request_total} of its {@code /metrics}), by
 * "VERB resource/subresource".
 */
final class ApiServerCounters {

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Set<String> WRITES = Set.of("PATCH", "PUT", "APPLY", "UPDATE");

  private ApiServerCounters() {}

  static Map<String, Double> read(LocalControlPlane plane) {
    Map<String, Double> counts = new TreeMap<>();
    for (String line : plane.kubectl().run("get", "--raw", "/metrics").split("\n")) {
      if (!line.startsWith("apiserver_request_total{")) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher m = LABEL.matcher(line.substring(0, line.lastIndexOf('}')));
      while (m.find()) {
        labels.put(m.group(1), m.group(2));
      }
      String key =
          labels.getOrDefault("verb", "?")
              + " "
              + labels.getOrDefault("resource", "")
              + (labels.getOrDefault("subresource", "").isEmpty()
                  ? ""
                  : "/" + labels.get("subresource"));
      counts.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
    }
    return counts;
  }

  /** Writes to {@code resource}'s status subresource between the two readings. */
  static double statusWrites(
      Map<String, Double> before, Map<String, Double> after, String resource) {
    double writes = 0;
    for (String verb : WRITES) {
      String key = verb + " " + resource + "/status";
      writes += after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }
    return writes;
  }

  /**
   * Reads the counts again until they hold {@code writes} more writes to {@code resource}'s status
   * than {@code before}: the API server counts a request once it answered it, so a reading taken
   * right after a write may not hold it yet.
   */
  static Map<String, Double> awaitStatusWrites(
      LocalControlPlane plane, Map<String, Double> before, String resource, int writes) {
    AtomicReference<Map<String, Double>> now = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              now.set(read(plane));
              return statusWrites(before, now.get(), resource) >= writes;
            });
    return now.get();
  }

  static double total(Map<String, Double> before, Map<String, Double> after) {
    return after.values().stream().mapToDouble(Double::doubleValue).sum()
        - before.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  static ObjectNode breakdown(Map<String, Double> before, Map<String, Double> after) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    after.forEach(
        (key, count) -> {
          double diff = count - before.getOrDefault(key, 0.0);
          if (diff > 0) {
            node.put(key, diff);
          }
        });
    return node;
  }
}
