package io.fieldproof.model.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fieldproof.model.fixtures.Fixtures;
import io.fieldproof.model.fixtures.GoldenFile;
import io.fieldproof.model.interpreter.Int8Interpreter;
import io.fieldproof.model.tflite.TensorType;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inferences per second of {@link Int8Interpreter} and of tflite-micro on the same fixture models
 * and inputs (their golden vectors, cycled), on this machine under the same load, one after the
 * other; and the bytes the Java interpreter allocates over 10,000 invocations (fewer for the models
 * taking over 0.2 ms, about 2 s of them), after its warm-up. Run with {@code scripts/bench.sh
 * model}; figures in {@code model/target/benchmarks/interpreter-speed.json} (see
 * docs/benchmarks.md). Not part of the test command (the class name is outside surefire's default
 * includes): it measures, it does not assert speed. It does fail when an invocation allocates.
 *
 * <p>Both sides time a loop of set-input (cycling over the vectors) and invoke, after a warm-up,
 * for about {@link #ROUND_SECONDS} a round, {@link #ROUNDS} rounds, and keep the best round. The
 * tflite-micro side is {@code model/bench/tflm_speed.py} in the fixtures venv: the interpreter is
 * built once, process start and JSON are outside the timed loop, and it reports the Python loop's
 * own cost per iteration (its binding calls) beside the figure.
 */
@Tag("benchmark")
class InterpreterSpeedBenchmark {

  static final double ROUND_SECONDS = 0.3;
  static final int ROUNDS = 3;
  static final int ALLOCATION_INVOKES = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void javaInterpreterAgainstTfliteMicro() throws Exception {
    Path python =
        Path.of(
            System.getProperty("user.home"),
            ".cache",
            "fieldproof",
            "venv-fixtures",
            "bin",
            "python");
    Path script = Fixtures.folder().resolveSibling("bench").resolve("tflm_speed.py");
    boolean tflm = Files.isExecutable(python) && Files.isRegularFile(script);

    ObjectNode report = JSON.createObjectNode();
    report.put("date", Instant.now().toString());
    report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put(
        "loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    report.put(
        "tfliteMicro", tflm ? python + " " + script : "absent (model/fixtures/setup-venv.sh)");
    ArrayNode models = report.putArray("models");

    List<Path> goldens = new ArrayList<>(Fixtures.goldenFiles());
    goldens.sort(null);
    for (Path golden : goldens) {
      GoldenFile file = GoldenFile.read(golden);
      Path modelPath = golden.resolveSibling(file.model());
      Int8Interpreter interpreter =
          Int8Interpreter.of(TfliteModel.read(Files.readAllBytes(modelPath)));
      Object[][] inputs = inputs(interpreter, file);

      double javaNanos = javaNanosPerInference(interpreter, inputs);
      // 10,000 invokes, or as many as fit in about 2 s for the large models
      int allocationInvokes = (int) Math.max(20, Math.min(ALLOCATION_INVOKES, 2e9 / javaNanos));
      long allocated = allocatedBytes(interpreter, inputs, allocationInvokes);

      ObjectNode m = models.addObject();
      m.put("model", file.model());
      m.put("vectors", file.vectors().size());
      m.put("operators", interpreter.operatorsPerInvoke());
      m.put("macs", interpreter.macsPerInvoke());
      m.put("javaMicrosPerInference", round(javaNanos / 1000));
      m.put("javaInferencesPerSecond", Math.round(1e9 / javaNanos));
      m.put("javaAllocationInvokes", allocationInvokes);
      m.put("javaBytesAllocated", allocated);
      if (tflm) {
        JsonNode t = tflm(python, script, modelPath, file);
        double tflmNanos = min(t.get("nanosPerInference"));
        m.put("tflmMicrosPerInference", round(tflmNanos / 1000));
        m.put("tflmInferencesPerSecond", Math.round(1e9 / tflmNanos));
        m.put("tflmPythonLoopOverheadMicros", round(t.get("callOverheadNanos").asDouble() / 1000));
        m.put("javaOverTflmThroughput", round(tflmNanos / javaNanos));
      }
      System.out.printf("%s%n", m);
      assertThat(allocated)
          .as("%s: bytes allocated over %d invokes", file.model(), allocationInvokes)
          .isLessThan(1024);
    }
    report.put(
        "loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Path out = Path.of("target", "benchmarks", "interpreter-speed.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    System.out.println(out.toAbsolutePath());
  }

  /** Per vector, per input: a byte[] for an int8 input, a float[] for a float32 one. */
  private static Object[][] inputs(Int8Interpreter interpreter, GoldenFile file) {
    Object[][] inputs = new Object[file.vectors().size()][];
    for (int v = 0; v < inputs.length; v++) {
      List<double[]> values = file.vectors().get(v).inputs();
      inputs[v] = new Object[values.size()];
      for (int i = 0; i < values.size(); i++) {
        double[] flat = values.get(i);
        if (interpreter.inputTensor(i).type() == TensorType.INT8) {
          byte[] bytes = new byte[flat.length];
          for (int k = 0; k < flat.length; k++) {
            bytes[k] = (byte) flat[k];
          }
          inputs[v][i] = bytes;
        } else {
          float[] floats = new float[flat.length];
          for (int k = 0; k < flat.length; k++) {
            floats[k] = (float) flat[k];
          }
          inputs[v][i] = floats;
        }
      }
    }
    return inputs;
  }

  private static long loop(Int8Interpreter interpreter, Object[][] inputs, long n) {
    long start = System.nanoTime();
    for (long k = 0; k < n; k++) {
      Object[] vector = inputs[(int) (k % inputs.length)];
      for (int i = 0; i < vector.length; i++) {
        if (vector[i] instanceof byte[] bytes) {
          interpreter.setInput(i, bytes);
        } else {
          interpreter.setInput(i, (float[]) vector[i]);
        }
      }
      interpreter.invoke();
    }
    return System.nanoTime() - start;
  }

  private static double javaNanosPerInference(Int8Interpreter interpreter, Object[][] inputs) {
    long n = 5;
    // warm-up until the JIT has compiled the kernels: 1 s or 20,000 invokes
    long warm = System.nanoTime();
    long done = 0;
    while (System.nanoTime() - warm < 1_000_000_000L && done < 20_000) {
      loop(interpreter, inputs, 5);
      done += 5;
    }
    long elapsed;
    while ((elapsed = loop(interpreter, inputs, n)) < ROUND_SECONDS * 1e9 / 4) {
      n *= 4;
    }
    n = Math.max(5, (long) (n * ROUND_SECONDS * 1e9 / elapsed));
    double best = Double.MAX_VALUE;
    for (int r = 0; r < ROUNDS; r++) {
      best = Math.min(best, (double) loop(interpreter, inputs, n) / n);
    }
    return best;
  }

  private static long allocatedBytes(Int8Interpreter interpreter, Object[][] inputs, int n) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    loop(interpreter, inputs, n);
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  private static JsonNode tflm(Path python, Path script, Path model, GoldenFile file)
      throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", model.toAbsolutePath().toString());
    request.put("seconds", ROUND_SECONDS);
    request.put("rounds", ROUNDS);
    ArrayNode vectors = request.putArray("inputs");
    for (GoldenFile.Vector vector : file.vectors()) {
      ArrayNode v = vectors.addArray();
      for (double[] flat : vector.inputs()) {
        ArrayNode values = v.addArray();
        Arrays.stream(flat).forEach(values::add);
      }
    }
    File requestFile = File.createTempFile("tflm-speed", ".json");
    requestFile.deleteOnExit();
    Files.writeString(requestFile.toPath(), JSON.writeValueAsString(request));
    Process process =
        new ProcessBuilder(python.toString(), script.toString())
            .redirectInput(requestFile)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("tflm_speed.py exited " + exit + " on " + model);
    }
    return JSON.readTree(out);
  }

  private static double min(JsonNode values) {
    double min = Double.MAX_VALUE;
    for (JsonNode v : values) {
      min = Math.min(min, v.asDouble());
    }
    return min;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
