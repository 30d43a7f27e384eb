package io.fieldproof.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The operator process's heap, from its {@code /q/metrics} after a full GC ({@code jcmd}). */
final class OperatorMetrics {

  private final OperatorProcess operator;
  private final HttpClient http = HttpClient.newHttpClient();

  OperatorMetrics(OperatorProcess operator) {
    this.operator = operator;
  }

  /** Heap bytes in use right after a full GC of the operator's JVM. */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    double heap = 0;
    for (String line : scrape()) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heap += value(line);
      }
    }
    return (long) heap;
  }

  /** The sum of every series of the counter {@code name}. */
  double counter(String name) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : scrape()) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += value(line);
      }
    }
    return sum;
  }

  /** The sum of the series of the counter {@code name} whose labels contain {@code label}. */
  double counter(String name, String label) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : scrape()) {
      if (line.startsWith(name + "{") && line.substring(0, line.lastIndexOf('}')).contains(label)) {
        sum += value(line);
      }
    }
    return sum;
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private String[] scrape() throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.port() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .split("\n");
  }

  /** Runs {@code jcmd} on the operator's JVM and writes what it prints to {@code out}. */
  void jcmdTo(Path out, String... command) throws IOException, InterruptedException {
    java.util.List<String> args = new java.util.ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(operator.handle().pid()));
    args.addAll(java.util.List.of(command));
    new ProcessBuilder(args)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start()
        .waitFor();
  }

  /** Runs {@code jcmd} on the operator's JVM (a GC, a JFR recording) and waits for it. */
  void jcmd(String... command) throws IOException, InterruptedException {
    java.util.List<String> args = new java.util.ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(operator.handle().pid()));
    args.addAll(java.util.List.of(command));
    new ProcessBuilder(args)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }
}
