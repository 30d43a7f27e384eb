package io.fieldproof.agent.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C firmware's host build ({@code firmware/build/host/fieldproof-fw-host}, built by {@code
 * firmware/test.sh}) driven by the agent's own device link and in-app slot session over TCP, on a
 * flash file the Java emulator wrote: the on-flash records and boot rules of the two agree. Skipped
 * when the firmware has not been built.
 */
class ConformanceHostFirmwareTest {

  @TempDir Path dir;

  @Test
  void agentLinkDrivesTheHostFirmwareOnTheEmulatorsFlash() throws Exception {
    Path binary = ProjectPaths.root().resolve("firmware/build/host/fieldproof-fw-host");
    if (!Files.isExecutable(binary)) {
      String message = "firmware not built (" + binary + "): run firmware/test.sh";
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank()) {
        org.junit.jupiter.api.Assertions.fail(message + " (scripts/test.sh does)");
      }
      Assumptions.abort(message);
    }
    Path modelFile = ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite");
    byte[] model = Files.readAllBytes(modelFile);
    String sha = HexFormat.of().formatHex(ModelSlots.sha256(model));
    Path flash = dir.resolve("stm32f4.flash");

    // the Java emulator provisions the model into slot A of the flash file, then powers off
    try (DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32F4)
            .seed(1)
            .flashFile(flash)
            .activeModel("dense-anomaly", "1.0.0", model)
            .build()) {
      assertThat(emulator.hello().slots().active()).isEqualTo("A");
    }

    Process firmware =
        new ProcessBuilder(
                binary.toString(),
                "--chip",
                "stm32f4",
                "--port",
                "0",
                "--seed",
                "1",
                "--flash-file",
                flash.toString(),
                "--telemetry-ms",
                "50")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      String uri = listeningUri(firmware);
      try (DeviceLink link = DeviceLinks.open(uri, Duration.ofSeconds(5))) {
        Hello hello = link.hello();
        assertThat(hello.deviceId()).isEqualTo("stm32-344f699302344242504d4733");
        assertThat(hello.supportsSlotCommands()).isTrue();
        assertThat(hello.slots().active()).isEqualTo("A");
        assertThat(hello.slots().activeState()).isEqualTo("VALID");
        assertThat(hello.slots().a().sha256()).isEqualTo(sha);
        assertThat(hello.slots().a().name()).isEqualTo("dense-anomaly");

        List<Telemetry> telemetry = new CopyOnWriteArrayList<>();
        link.onTelemetry(telemetry::add);
        assertThat(
                link.configure(
                    4,
                    new ObjectMapper()
                        .readTree("{\"inputs\":[{\"name\":\"t\",\"min\":0,\"max\":10}]}")))
            .isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> telemetry.size() >= 2);
        assertThat(telemetry.get(0).readings()).containsKey("t");
        Stats stats = link.stats();
        assertThat(stats.configGeneration()).isEqualTo(4);
        assertThat(stats.telemetryFrames()).isGreaterThanOrEqualTo(2);

        // the agent's in-app write path into the inactive slot, then its digest
        RuntimeSlotSession session = new RuntimeSlotSession(link);
        assertThat(RuntimeSlotSession.inactiveSlot(session.slots())).isEqualTo("B");
        session.write("B", model, (done, total) -> {});
        assertThat(session.digest("B", model.length)).isEqualTo(sha);
        // the firmware's int8 runner answers tflite-micro's outputs (dense_anomaly.golden.json)
        assertThat(session.selfTest("B", model.length, List.of(-128, -128, -128, -128)).output())
            .containsExactly(-23);
        assertThat(session.selfTest("B", model.length, List.of(127, 127, 127, 127)).output())
            .containsExactly(-113);
      }
    } finally {
      firmware.destroy();
      firmware.waitFor();
    }

    // the emulator boots the same file again: slot A still runs, slot B holds the bytes written
    try (DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32F4).seed(1).flashFile(flash).build()) {
      assertThat(emulator.hello().slots().active()).isEqualTo("A");
      assertThat(HexFormat.of().formatHex(emulator.slots().digest(ModelSlots.B, model.length)))
          .isEqualTo(sha);
    }
  }

  private static String listeningUri(Process firmware) throws IOException {
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(firmware.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the firmware's first line").isNotNull().contains("tcp://");
    return line.substring(line.indexOf("tcp://"));
  }
}
