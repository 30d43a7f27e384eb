package io.fieldproof.agent.flash.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.device.emulator.esp32.EspRomLoader;
import io.fieldproof.device.emulator.esp32.RomLoaderCounters;
import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashTimings;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.testsupport.FlashTools;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * esptool in its default mode (it uploads its flasher stub and writes compressed 16 KiB blocks
 * through it), esptool {@code --no-stub} (plain and {@code --compress}) and the agent's flasher
 * (the ROM loader) on the same emulated ESP32 behind a line paced at 10 bits per byte, starting at
 * 115200 baud, flashing at 115200 and 921600, with the emulated flash erasing and programming in
 * the W25Q32JV's typical datasheet times: the wall time of a whole write with its MD5 check
 * (esptool's process, the agent's connect + write + verify) and the write alone (as esptool reports
 * it; measured around the agent's write). Figures go to target/benchmarks/esp32-flash.json. Run
 * with scripts/bench.sh flash.
 */
@Tag("benchmark")
class EspFlashBenchmark {

  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x01, 0x02, 0x03};
  private static final int SLOT = SlotLayout.forChip("esp32").slotA();
  private static final List<String> FIXTURES =
      List.of(
          "activations_mix.tflite",
          "concat_pad_mean.tflite",
          "conv1d_vibration.tflite",
          "dense_anomaly.tflite",
          "dense_anomaly_alarming.tflite",
          "dense_anomaly_v2.tflite",
          "dense_dynamic_batch.tflite",
          "ds_cnn_keywords.tflite",
          "flatten_dynamic_batch.tflite",
          "float_model.tflite",
          "logistic_temperature.tflite",
          "quant_dequant.tflite",
          "shape_ops.tflite",
          "too_large.tflite");
  private static final Pattern WROTE = Pattern.compile("Wrote .* in ([0-9.]+) seconds");

  @TempDir Path dir;

  private record Figure(
      String image, int bytes, int baud, String flasher, long wallMillis, String writeSeconds) {

    /** Image bytes per second of wall time, and that against the line's 8N1 byte rate. */
    String json() {
      long effective = bytes * 1000L / Math.max(1, wallMillis);
      double ofLine = effective / (baud / 10.0);
      return String.format(
          java.util.Locale.ROOT,
          "{\"image\":\"%s\",\"bytes\":%d,\"baud\":%d,\"flasher\":\"%s\",\"wallMillis\":%d,"
              + "\"writeSeconds\":%s,\"effectiveBytesPerSecond\":%d,\"ofLineRate\":%.2f}",
          image,
          bytes,
          baud,
          flasher,
          wallMillis,
          writeSeconds,
          effective,
          ofLine);
    }
  }

  @Test
  void esptoolAndTheAgentFlashTheSameImages() throws Exception {
    byte[] random = new byte[50 * 1024];
    new SplittableRandom(1).nextBytes(random);
    List<Image> images = List.of(new Image("random-50KiB", random), fixtureModels());
    List<Figure> figures = new ArrayList<>();
    for (int baud : new int[] {115_200, 921_600}) {
      for (Image image : images) {
        figures.add(esptool(image, baud, EsptoolMode.STUB));
        figures.add(esptool(image, baud, EsptoolMode.NO_STUB));
        figures.add(esptool(image, baud, EsptoolMode.NO_STUB_COMPRESS));
        figures.add(agent(image, baud));
      }
    }
    Path out = Path.of("target/benchmarks/esp32-flash.json");
    Files.createDirectories(out.getParent());
    Files.writeString(
        out, "[\n" + String.join(",\n", figures.stream().map(Figure::json).toList()) + "\n]\n");
  }

  private record Image(String name, byte[] bytes) {}

  /** How esptool is run: its default (stub) mode, or the ROM alone. */
  private enum EsptoolMode {
    STUB("esptool (stub, default)", List.of()),
    NO_STUB("esptool --no-stub", List.of("--no-stub")),
    NO_STUB_COMPRESS("esptool --no-stub --compress", List.of("--no-stub"));

    private final String label;
    private final List<String> options;

    EsptoolMode(String label, List<String> options) {
      this.label = label;
      this.options = options;
    }
  }

  /**
   * Fourteen fixture models end to end (72 KiB): a realistic, compressible image. The list is fixed
   * so that new fixtures do not change the image under the figures.
   */
  private static Image fixtureModels() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String name : FIXTURES) {
      all.writeBytes(
          Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name)));
    }
    return new Image("fixture-models-" + all.size() / 1024 + "KiB", all.toByteArray());
  }

  private Figure esptool(Image image, int baud, EsptoolMode mode) throws IOException {
    EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
    Path file = Files.write(dir.resolve(image.name() + ".bin"), image.bytes());
    try (LineServer server = paced(flash)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--chip",
                  "esp32",
                  "--port",
                  server.socketUrl(),
                  "--before",
                  "no-reset",
                  "--after",
                  "no-reset"));
      args.addAll(mode.options);
      args.addAll(List.of("-b", String.valueOf(baud), "write-flash"));
      if (mode == EsptoolMode.NO_STUB_COMPRESS) {
        args.add("--compress");
      }
      args.addAll(List.of("0x" + Integer.toHexString(SLOT), file.toString()));
      long start = System.nanoTime();
      FlashTools.Run run = FlashTools.esptool(Duration.ofMinutes(3), args.toArray(String[]::new));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(flash.read(SLOT, image.bytes().length)).isEqualTo(image.bytes());
      Matcher wrote = WROTE.matcher(run.output());
      return new Figure(
          image.name(),
          image.bytes().length,
          baud,
          mode.label,
          millis,
          wrote.find() ? wrote.group(1) : "null");
    }
  }

  private Figure agent(Image image, int baud) throws Exception {
    EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
    try (LineServer server = paced(flash)) {
      long start = System.nanoTime();
      long writeNanos;
      try (ByteLine line = ByteLine.open(server.uri(), Duration.ofSeconds(5));
          EspRomSession session =
              EspRomSession.connect(line, EspRomOptions.defaults().withBaud(baud))) {
        long writeStart = System.nanoTime();
        session.write(SLOT, image.bytes(), (written, total) -> {});
        writeNanos = System.nanoTime() - writeStart;
        session.verify(SLOT, image.bytes());
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(flash.read(SLOT, image.bytes().length)).isEqualTo(image.bytes());
      return new Figure(
          image.name(),
          image.bytes().length,
          baud,
          "agent EspRomSession",
          millis,
          String.format("%.2f", writeNanos / 1e9));
    }
  }

  private static LineServer paced(EmulatedFlash flash) throws IOException {
    return LineServer.start(
        0,
        LineSettings.ideal().withBaud(115_200),
        EspRomLoader.factory(flash, MAC, new RomLoaderCounters(), FlashTimings.w25q32jvTypical()));
  }
}
