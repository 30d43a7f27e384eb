package io.fieldproof.agent.flash.inapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.emulated.InProcessDeviceLink;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.SlotMessages;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The in-app path against emulated devices: the model goes into the inactive slot while the
 * firmware runs, is checked by digest and self-test, runs on trial and is confirmed or reverted; a
 * power cut at any point of a write leaves a device that boots a valid model.
 */
class RuntimeSlotSessionTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  private static String sha(byte[] bytes) {
    return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
  }

  private static DeviceEmulator device(Chip chip, long seed) throws Exception {
    return DeviceEmulator.builder(chip)
        .seed(seed)
        .activeModel("dense-anomaly", "1.0.0", fixture("dense_anomaly.tflite"))
        .build();
  }

  /** The first golden vector of a fixture: input and expected output of tensor 0. */
  private static List<List<Integer>> golden(String name) throws Exception {
    JsonNode vector =
        new ObjectMapper()
            .readTree(ProjectPaths.root().resolve("model/fixtures/models").resolve(name).toFile())
            .get("vectors")
            .get(0);
    return List.of(ints(vector.get("input").get(0)), ints(vector.get("output").get(0)));
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }

  @Test
  void aModelIsWrittenCheckedRunOnTrialAndConfirmedWhileTheFirmwareRuns() throws Exception {
    DeviceEmulator emulator = device(Chip.ESP32, 1);
    byte[] next = fixture("conv1d_vibration.tflite");
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      RuntimeSlotSession session = new RuntimeSlotSession(link);
      link.configure(1, io.fieldproof.testsupport.RuntimeConfigs.withInputs("t"));
      SlotTable before = session.slots();
      String slot = RuntimeSlotSession.inactiveSlot(before);
      assertThat(slot).isEqualTo("B");
      List<Long> progress = new ArrayList<>();
      long telemetryBefore = emulator.stats().telemetryFrames();

      session.write(
          slot,
          next,
          (done, total) -> {
            progress.add(done);
            emulator.tick();
          });

      assertThat(emulator.stats().telemetryFrames())
          .as("the firmware kept producing readings during the write")
          .isGreaterThan(telemetryBefore);
      assertThat(progress).last().isEqualTo((long) next.length);
      assertThat(session.slots().active()).as("nothing switched before ACTIVATE").isEqualTo("A");
      assertThat(session.digest(slot, next.length)).isEqualTo(sha(next));
      List<List<Integer>> vector = golden("conv1d_vibration.golden.json");
      SlotMessages.SelfTestResult result = session.selfTest(slot, next.length, vector.get(0));
      assertThat(result.output()).isEqualTo(vector.get(1));
      assertThat(result.cycles()).isPositive();

      SlotTable trial =
          session.activate(
              new SlotMessages.ActivateRequest(slot, next.length, sha(next), "vib", "2.0.0"));
      assertThat(trial.active()).isEqualTo("B");
      assertThat(trial.onTrial()).isTrue();
      assertThat(trial.b().sha256()).isEqualTo(sha(next));

      SlotTable confirmed = session.confirm();
      assertThat(confirmed.activeState()).isEqualTo("VALID");
      assertThat(confirmed.otherState())
          .as("the model it ran before stays bootable: a rollback can return to it")
          .isEqualTo("VALID");
      emulator.reset();
      assertThat(session.slots().active()).as("a confirmed model survives a reset").isEqualTo("B");
    }
  }

  @Test
  void aResetDuringTheTrialAndARevertBothGoBackToThePreviousModel() throws Exception {
    DeviceEmulator emulator = device(Chip.STM32F4, 2);
    byte[] next = fixture("logistic_temperature.tflite");
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      RuntimeSlotSession session = new RuntimeSlotSession(link);
      SlotMessages.ActivateRequest activate =
          new SlotMessages.ActivateRequest("B", next.length, sha(next), "temp", "2");
      session.write("B", next, FlashProgress.NONE);
      session.activate(activate);

      emulator.reset();

      SlotTable afterReset = session.slots();
      assertThat(afterReset.active()).isEqualTo("A");
      assertThat(afterReset.b()).as("the aborted record stays, for the report").isNotNull();
      assertThat(afterReset.otherState())
          .as("the model that failed its trial would not boot again")
          .isEqualTo("ABORTED");

      session.write("B", next, FlashProgress.NONE);
      session.activate(activate);
      SlotTable reverted = session.revert();
      assertThat(reverted.active()).isEqualTo("A");
      assertThat(reverted.activeState()).isEqualTo("VALID");
      assertThat(reverted.otherState()).isEqualTo("INVALID");
    }
  }

  @Test
  void theDeviceRefusesWhatWouldBreakIt() throws Exception {
    DeviceEmulator emulator = device(Chip.ESP32S3, 3);
    byte[] next = fixture("dense_anomaly.tflite");
    try (InProcessDeviceLink link = InProcessDeviceLink.attach(emulator, TIMEOUT)) {
      RuntimeSlotSession session = new RuntimeSlotSession(link);
      assertThatThrownBy(() -> session.write("A", next, FlashProgress.NONE))
          .isInstanceOfSatisfying(
              FlashException.class, e -> assertThat(e.failure()).isEqualTo(FlashFailure.REFUSED))
          .hasMessageContaining("SLOT_ACTIVE");

      session.write("B", next, FlashProgress.NONE);
      String wrongSha = sha(fixture("logistic_temperature.tflite"));
      assertThatThrownBy(
              () ->
                  session.activate(
                      new SlotMessages.ActivateRequest("B", next.length, wrongSha, "m", "1")))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.VERIFY_MISMATCH));

      byte[] garbage = new byte[3000];
      new SplittableRandom(4).nextBytes(garbage);
      session.write("B", garbage, FlashProgress.NONE);
      assertThatThrownBy(() -> session.selfTest("B", garbage.length, List.of(1, 2, 3, 4)))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.MODEL_REJECTED));
      assertThatThrownBy(
              () ->
                  session.activate(
                      new SlotMessages.ActivateRequest(
                          "B", garbage.length, sha(garbage), "junk", "1")))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.MODEL_REJECTED));
      assertThat(session.slots().active()).isEqualTo("A");
    }
  }

  @Test
  void aPowerCutAtFiftyRandomBytesOfAnInAppUpdateAlwaysLeavesAValidModel() throws Exception {
    byte[] next = fixture("conv1d_vibration.tflite");
    byte[] first = fixture("dense_anomaly.tflite");
    SplittableRandom random = new SplittableRandom(20261125L);
    int oldRuns = 0;
    int newRuns = 0;
    for (Chip chip : new Chip[] {Chip.ESP32, Chip.STM32L4}) {
      for (int i = 0; i < 50; i++) {
        DeviceEmulator emulator = device(chip, 100 + i);
        long cut = random.nextLong(next.length + 4L * 116);
        try (InProcessDeviceLink link =
            InProcessDeviceLink.attach(emulator, Duration.ofMillis(300))) {
          RuntimeSlotSession session = new RuntimeSlotSession(link);
          emulator.cutPowerAfterBytes(cut);
          try {
            session.write("B", next, FlashProgress.NONE);
            session.activate(
                new SlotMessages.ActivateRequest("B", next.length, sha(next), "vib", "2"));
            session.confirm();
          } catch (FlashException expected) {
            assertThat(expected.isTransient()).as("chip %s cut at %d", chip, cut).isTrue();
          }
          emulator.reset();
          byte[] running = emulator.slots().activeModel().orElseThrow();
          assertThat(sha(running))
              .as("chip %s cut at %d: boots the old or the new model, intact", chip, cut)
              .isIn(sha(first), sha(next));
          if (sha(running).equals(sha(next))) {
            newRuns++;
          } else {
            oldRuns++;
          }
        }
      }
    }
    assertThat(oldRuns).as("cuts that stopped the update").isPositive();
    assertThat(newRuns).as("cuts after the model was committed").isPositive();
  }

  @Test
  void withCorruptedFramesNoCorruptedModelIsEverActivated() throws Exception {
    byte[] next = fixture("conv1d_vibration.tflite");
    int activated = 0;
    for (int run = 0; run < 10; run++) {
      DeviceEmulator emulator = device(Chip.ESP32, 300 + run);
      emulator.corruptOutgoingFrames(0.05);
      try (InProcessDeviceLink link =
          InProcessDeviceLink.attach(emulator, Duration.ofMillis(200))) {
        RuntimeSlotSession session = new RuntimeSlotSession(link);
        try {
          session.write("B", next, FlashProgress.NONE);
          if (session.digest("B", next.length).equals(sha(next))) {
            session.activate(
                new SlotMessages.ActivateRequest("B", next.length, sha(next), "vib", "2"));
            activated++;
          }
        } catch (FlashException e) {
          assertThat(e.isTransient()).as(e.getMessage()).isTrue();
        }
        byte[] running = emulator.slots().activeModel().orElseThrow();
        assertThat(sha(running)).isIn(sha(fixture("dense_anomaly.tflite")), sha(next));
      }
    }
    assertThat(activated).as("retries carry most updates through the noise").isPositive();
  }
}
