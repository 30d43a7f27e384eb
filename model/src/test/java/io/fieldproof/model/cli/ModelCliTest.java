package io.fieldproof.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.model.fixtures.Fixtures;
import io.fieldproof.model.fixtures.GoldenFile;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.tflite.TfliteModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout is not JSON: " + out, e);
      }
    }
  }

  private static Result cliWithStdin(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ModelCli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Result cli(String... args) {
    return cliWithStdin("", args);
  }

  private static String model(String name) {
    return Fixtures.models().resolve(name).toString();
  }

  @Test
  void inspectReportsFormatOperatorsFootprintLatencyAndEnergyPerChip() {
    Result r = cli("inspect", model("ds_cnn_keywords.tflite"), "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode json = r.json();
    assertThat(json.get("format").asText()).isEqualTo("TFL3");
    assertThat(json.get("quantization").get("scheme").asText()).isEqualTo("INT8");
    assertThat(json.get("operators").toString())
        .contains("CONV_2D", "DEPTHWISE_CONV_2D", "SOFTMAX");
    Footprint footprint = Footprint.of(TfliteModel.read(Fixtures.model("ds_cnn_keywords.tflite")));
    assertThat(json.get("flashBytes").asLong()).isEqualTo(footprint.flashBytes());
    assertThat(json.get("arena").get("totalBytes").asLong())
        .isEqualTo(footprint.arena().totalBytes());
    assertThat(json.get("macs").asLong()).isEqualTo(footprint.totalMacs()).isPositive();
    List<String> chips = new ArrayList<>();
    for (JsonNode chip : json.get("chipProfiles")) {
      chips.add(chip.get("chip").asText());
      assertThat(chip.get("latencyMicrosEstimate").asLong()).isPositive();
      assertThat(chip.get("energyMicrojoulesEstimate").asDouble()).isPositive();
    }
    assertThat(chips).containsExactly("esp32", "esp32s3", "stm32f4", "stm32l4");
    // the stm32l4 runtime is built without CONV_2D
    assertThat(json.get("chipProfiles").get(3).get("fits").asBoolean()).isFalse();
    assertThat(json.get("chipProfiles").get(0).get("fits").asBoolean()).isTrue();
  }

  @Test
  void inspectPrintsTextAndTheFitAgainstANamedChip() {
    Result r = cli("inspect", model("ds_cnn_keywords.tflite"), "--chip", "stm32l4");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("format         TFL3", "MACs", "µJ", "does not fit chip profile stm32l4")
        .contains("OPERATORS: the device's runtime lacks operators [CONV_2D]");
  }

  @Test
  void inspectFitsAgainstADeviceCapabilityFile() throws IOException {
    Path caps = temp.resolve("caps.json");
    Files.writeString(
        caps,
        "{\"operators\":[\"FULLY_CONNECTED\",\"LOGISTIC\"],\"arenaBytes\":4096,\"slotBytes\":65536}");

    JsonNode fit =
        cli("inspect", model("dense_anomaly.tflite"), "--device", caps.toString(), "--json")
            .json()
            .get("fit");

    assertThat(fit.get("fits").asBoolean()).isTrue();
    assertThat(fit.get("arenaBytes").asLong()).isEqualTo(4096);
  }

  @Test
  void fitExitsZeroWhenTheModelFitsAndFourWithTheReasonsWhenNot() throws IOException {
    assertThat(cli("fit", model("dense_anomaly.tflite"), "--chip", "stm32f4").exit()).isZero();

    Result tooLarge = cli("fit", model("too_large.tflite"), "--chip", "stm32f4");
    assertThat(tooLarge.exit()).isEqualTo(4);
    assertThat(tooLarge.err())
        .startsWith("fieldproof-model: error: ")
        .contains("does not fit chip profile stm32f4", "ARENA", "65536");

    // a whole HELLO response is accepted too; 64 KiB of arena, as an STM32F4 reports
    Path hello = temp.resolve("hello.json");
    Files.writeString(
        hello,
        "{\"deviceId\":\"stm32f4-1\",\"chip\":\"stm32f4\",\"capabilities\":{\"operators\":"
            + "[\"FULLY_CONNECTED\",\"SOFTMAX\",\"LOGISTIC\"],\"arenaBytes\":65536,"
            + "\"slotBytes\":393216}}");
    Result onDevice = cli("fit", model("too_large.tflite"), "--device", hello.toString(), "--json");
    assertThat(onDevice.exit()).isEqualTo(4);
    assertThat(onDevice.json().get("fits").asBoolean()).isFalse();
    assertThat(onDevice.json().get("problems").get(0).get("kind").asText()).isEqualTo("ARENA");

    Result missingOps = cli("fit", model("ds_cnn_keywords.tflite"), "--device", hello.toString());
    assertThat(missingOps.exit()).isEqualTo(4);
    assertThat(missingOps.err()).contains("OPERATORS", "CONV_2D");
  }

  @Test
  void runReproducesEveryGoldenVector() {
    List<Path> goldens = Fixtures.goldenFiles();
    assertThat(goldens).isNotEmpty();
    int checked = 0;
    for (Path path : goldens) {
      GoldenFile golden = GoldenFile.read(path);
      String modelPath = path.resolveSibling(golden.model()).toString();
      for (GoldenFile.Vector vector : golden.vectors()) {
        StringBuilder input = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < vector.inputs().size(); i++) {
          input.append(i == 0 ? "[" : ",[");
          double[] values = vector.inputs().get(i);
          for (int j = 0; j < values.length; j++) {
            input.append(j == 0 ? "" : ",").append(values[j]);
          }
          input.append(']');
        }
        input.append("]}");

        Result r = cliWithStdin(input.toString(), "run", modelPath, "--input", "-");

        assertThat(r.exit()).as("%s: %s", path, r.err()).isZero();
        JsonNode outputs = r.json().get("outputs");
        for (int o = 0; o < vector.outputs().size(); o++) {
          JsonNode output = outputs.get(o);
          boolean isFloat = golden.outputs().get(o).isFloat();
          JsonNode values = output.get(isFloat ? "values" : "int8");
          double[] expected = vector.outputs().get(o);
          assertThat(values.size()).isEqualTo(expected.length);
          for (int k = 0; k < expected.length; k++) {
            if (isFloat) {
              assertThat(Float.floatToIntBits((float) values.get(k).asDouble()))
                  .as("%s output %d[%d]", path, o, k)
                  .isEqualTo(Float.floatToIntBits((float) expected[k]));
            } else {
              assertThat(values.get(k).asInt())
                  .as("%s output %d[%d]", path, o, k)
                  .isEqualTo((int) expected[k]);
            }
          }
          if (!isFloat) {
            double scale = output.get("scale").asDouble();
            int zeroPoint = output.get("zeroPoint").asInt();
            assertThat(output.get("dequantized").get(0).asDouble())
                .isCloseTo(
                    scale * (expected[0] - zeroPoint), org.assertj.core.data.Offset.offset(1e-6));
          }
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void runQuantizesRealInputsWithReal() {
    Result raw = cli("run", model("dense_anomaly.tflite"), "--input", "[-18,-18,-18,-18]");
    Result real = cli("run", model("dense_anomaly.tflite"), "--input", "[0,0,0,0]", "--real");

    assertThat(real.exit()).as(real.err()).isZero();
    // the input's zero point is -18: real 0 quantizes to -18
    assertThat(real.json().get("outputs")).isEqualTo(raw.json().get("outputs"));
  }

  @Test
  void aMissingFileExitsTwoNamingIt() {
    Result r = cli("inspect", temp.resolve("nope.tflite").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("fieldproof-model: error: model file ")
        .contains("does not exist");
  }

  @Test
  void aFileThatIsNotTfliteIsRefusedWithExitThree() throws IOException {
    Path text = temp.resolve("notes.tflite");
    Files.writeString(text, "this is not a flatbuffer at all");

    for (String command : List.of("inspect", "fit", "run")) {
      Result r =
          command.equals("inspect")
              ? cli(command, text.toString())
              : command.equals("fit")
                  ? cli(command, text.toString(), "--chip", "esp32")
                  : cli(command, text.toString(), "--input", "[0]");
      assertThat(r.exit()).as(command).isEqualTo(3);
      assertThat(r.err()).as(command).contains("model refused (NOT_TFLITE)", "TFL3");
    }
  }

  @Test
  void aFloatModelIsRefusedWithExitThreeAndTheReason() {
    Result inspect = cli("inspect", model("float_model.tflite"));
    assertThat(inspect.exit()).isEqualTo(3);
    assertThat(inspect.out()).contains("quantization   FLOAT32");
    assertThat(inspect.err()).contains("model refused (FLOAT32)", "int8 models only");

    Result run = cli("run", model("float_model.tflite"), "--input", "[0,0,0,0]");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("model refused (FLOAT");

    Result fit = cli("fit", model("float_model.tflite"), "--chip", "esp32");
    assertThat(fit.exit()).isEqualTo(3);
    assertThat(fit.err()).contains("model refused (FLOAT");
  }

  @Test
  void badJsonInputExitsTwoWithTheOffset() throws IOException {
    Result malformed = cli("run", model("dense_anomaly.tflite"), "--input", "[1, 2,");
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err()).contains("input is not valid JSON", "offset");

    Result wrongLength = cli("run", model("dense_anomaly.tflite"), "--input", "[1, 2]");
    assertThat(wrongLength.exit()).isEqualTo(2);
    assertThat(wrongLength.err()).contains("takes 4 values, got 2");

    Result notInt8 = cli("run", model("dense_anomaly.tflite"), "--input", "[0.5, 1, 2, 300]");
    assertThat(notInt8.exit()).isEqualTo(2);
    assertThat(notInt8.err()).contains("not in [-128, 127]", "--real");

    Path caps = temp.resolve("caps.json");
    Files.writeString(caps, "{\"operators\":[],\"arenaBytes\":\"lots\"}");
    Result badCaps = cli("fit", model("dense_anomaly.tflite"), "--device", caps.toString());
    assertThat(badCaps.exit()).isEqualTo(2);
    assertThat(badCaps.err()).contains("arenaBytes");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(cli().exit()).isEqualTo(2);
    assertThat(cli("--help").exit()).isZero();
    Result unknown = cli("convert", "x");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown command convert");
    Result chip = cli("fit", model("dense_anomaly.tflite"), "--chip", "nrf52");
    assertThat(chip.exit()).isEqualTo(2);
    assertThat(chip.err())
        .contains("unknown chip profile nrf52", "esp32, esp32s3, stm32f4, stm32l4");
    assertThat(cli("fit", model("dense_anomaly.tflite")).err()).contains("--chip NAME or --device");
    assertThat(cli("run", model("dense_anomaly.tflite")).err()).contains("--input");
    assertThat(cli("inspect", model("dense_anomaly.tflite"), "--bogus").err())
        .contains("unknown option --bogus");
  }
}
