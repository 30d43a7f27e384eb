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
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.Telemetry;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C firmware's STM32F405 image ({@code firmware/build/stm32f4/fieldproof-fw-stm32f4.elf}, built
 * by {@code firmware/test.sh}) under QEMU's netduinoplus2 machine, driven by the agent's own device
 * link and in-app slot session over the emulated USART's TCP socket, on a flash file the Java
 * emulator wrote: a full in-app update (write, digest, self-test against the model's tflite-micro
 * golden outputs, activate on trial, confirm), and the emulator boots the result. Skipped when the
 * image or QEMU is missing, except in CI.
 */
class ConformanceQemuFirmwareTest {

  private static final String MODEL = "model/fixtures/models/dense_anomaly.tflite";

  @TempDir Path dir;

  @Test
  void agentLinkUpdatesTheStm32FirmwareUnderQemu() throws Exception {
    Path root = ProjectPaths.root();
    Path image = root.resolve("firmware/build/stm32f4/fieldproof-fw-stm32f4.elf");
    Path script = root.resolve("firmware/scripts/qemu-stm32f4.sh");
    requirePresent(image, "firmware not built (" + image + "): run firmware/test.sh");
    requirePresent(
        Path.of("/usr/bin/qemu-system-arm"), "qemu-system-arm missing: run firmware/test.sh");
    byte[] model = Files.readAllBytes(root.resolve(MODEL));
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

    String[] booted = startQemu(script, flash);
    long pid = Long.parseLong(booted[0]);
    try (DeviceLink link = DeviceLinks.open(booted[3], Duration.ofSeconds(10))) {
      Hello hello = link.hello();
      assertThat(hello.deviceId()).isEqualTo("stm32-344f699302344242504d4733");
      assertThat(hello.chip()).isEqualTo("stm32f4");
      assertThat(hello.supportsSlotCommands()).isTrue();
      assertThat(hello.slots().active()).isEqualTo("A");
      assertThat(hello.slots().activeState()).isEqualTo("VALID");
      assertThat(hello.slots().a().sha256()).isEqualTo(sha);

      List<Telemetry> telemetry = new CopyOnWriteArrayList<>();
      link.onTelemetry(telemetry::add);
      assertThat(
              link.configure(
                  4,
                  new ObjectMapper()
                      .readTree("{\"inputs\":[{\"name\":\"t\",\"min\":0,\"max\":10}]}")))
          .isEqualTo(4);
      await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.size() >= 2);
      assertThat(telemetry.get(0).readings()).containsKey("t");
      assertThat(link.stats().configGeneration()).isEqualTo(4);

      RuntimeSlotSession session = new RuntimeSlotSession(link);
      assertThat(RuntimeSlotSession.inactiveSlot(session.slots())).isEqualTo("B");
      session.write("B", model, (done, total) -> {});
      assertThat(session.digest("B", model.length)).isEqualTo(sha);
      // tflite-micro's outputs for these inputs (dense_anomaly.golden.json)
      assertThat(session.selfTest("B", model.length, List.of(-128, -128, -128, -128)).output())
          .containsExactly(-23);
      assertThat(session.selfTest("B", model.length, List.of(127, 127, 127, 127)).output())
          .containsExactly(-113);
      SlotTable trial =
          session.activate(
              new SlotMessages.ActivateRequest("B", model.length, sha, "dense-anomaly", "2.0.0"));
      assertThat(trial.active()).isEqualTo("B");
      assertThat(trial.activeState()).isEqualTo("PENDING_VERIFY");
      assertThat(session.confirm().activeState()).isEqualTo("VALID");
    } finally {
      stopQemu(pid);
    }

    // the emulator boots the same file: slot B runs, confirmed
    try (DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32F4).seed(1).flashFile(flash).build()) {
      assertThat(emulator.hello().slots().active()).isEqualTo("B");
      assertThat(emulator.hello().slots().activeState()).isEqualTo("VALID");
      assertThat(emulator.hello().slots().b().version()).isEqualTo("2.0.0");
    }
  }

  private static void requirePresent(Path path, String message) {
    if (Files.exists(path)) {
      return;
    }
    String ci = System.getenv("CI");
    if (ci != null && !ci.isBlank()) {
      org.junit.jupiter.api.Assertions.fail(message + " (scripts/test.sh does)");
    }
    Assumptions.abort(message);
  }

  /** Runs the script; its line is "pid deviceId chip tcp://127.0.0.1:port". */
  private String[] startQemu(Path script, Path flash) throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Process start =
        new ProcessBuilder(
                script.toString(),
                "--port",
                Integer.toString(port),
                "--seed",
                "1",
                "--flash-file",
                flash.toString(),
                "--telemetry-ms",
                "50",
                "--log",
                dir.resolve("qemu.log").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertThat(start.waitFor(60, TimeUnit.SECONDS)).as("qemu-stm32f4.sh returns").isTrue();
    String line = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(start.exitValue()).as("qemu-stm32f4.sh: " + line).isZero();
    String[] words = line.split(" ");
    assertThat(words).hasSize(4);
    return words;
  }

  private static void stopQemu(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            qemu -> {
              qemu.destroyForcibly();
              qemu.onExit().join();
            });
  }
}
