package io.fieldproof.agent.flash.stm32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.emulator.stm32.EmulatedStm32;
import io.fieldproof.device.emulator.stm32.Stm32Chip;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Stm32BootSessionTest {

  private static final int BAUD = 115_200;
  private static final int FAST = 921_600;

  static Stream<Arguments> chips() {
    return Stream.of(
        Arguments.of((Supplier<Stm32Chip>) Stm32Chip::stm32f4),
        Arguments.of((Supplier<Stm32Chip>) Stm32Chip::stm32l4));
  }

  private static byte[] model() throws Exception {
    return Files.readAllBytes(
        ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite"));
  }

  private static byte[] blob(int length, long seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static long slotA(Stm32Chip chip) {
    SlotLayout layout = SlotLayout.forChip(chip.name());
    return layout.busAddress(layout.slotOffset(SlotLayout.A));
  }

  private static ByteLine open(EmulatedStm32 device) throws Exception {
    return ByteLine.open(device.server().uri(), Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @MethodSource("chips")
  void writesAndVerifiesAModelInSlotA(Supplier<Stm32Chip> chips) throws Exception {
    byte[] model = model();
    try (EmulatedStm32 device = EmulatedStm32.start(chips.get(), EmulatedStm32.line(BAUD));
        ByteLine line = open(device)) {
      long address = slotA(device.chip());
      byte[] before = blob(64, 1);
      device.flash().write((int) (address - Stm32Chip.FLASH_BASE) - 64, before, 0, 64);
      List<Long> progress = new ArrayList<>();
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(BAUD));
      assertThat(session.chip()).isEqualTo(device.chip().name());

      session.write(address, model, (done, total) -> progress.add(done));
      session.verify(address, model);
      session.close();

      assertThat(device.flashAt(address, model.length)).isEqualTo(model);
      assertThat(device.flashAt(address + model.length, 256)).containsOnly((byte) 0xFF);
      assertThat(device.flashAt(address - 64, 64)).as("the page before").isEqualTo(before);
      assertThat(progress).last().isEqualTo((long) model.length);
      assertThat(device.counters().startedAt()).hasValue(Stm32Chip.FLASH_BASE);
      assertThat(session.retries()).isZero();
    }
  }

  @Test
  void readsTheUniqueIdFromSystemMemory() throws Exception {
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32l4(), EmulatedStm32.line(FAST));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
      assertThat(session.read(0x1FFF_7590L, 12))
          .containsExactly(0x35, 0x00, 0x2D, 0x00, 0x0B, 0x51, 0x34, 0x33, 0x37, 0x32, 0x38, 0x39);
    }
  }

  @Test
  void timeoutsFollowTheBaudRate() throws Exception {
    byte[] data = blob(1024, 2);
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32l4(), EmulatedStm32.line(9600));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(9600));
      session.write(0x0808_0000L, data, FlashProgress.NONE);
      session.verify(0x0808_0000L, data);
      assertThat(session.retries()).as("a 256-byte block takes 290 ms at 9600 8E1").isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("chips")
  void aNoisyLineEndsInVerifiedBytesThroughRetries(Supplier<Stm32Chip> chips) throws Exception {
    byte[] data = blob(16 * 1024, 3);
    LineSettings noisy = EmulatedStm32.line(FAST).withCorruption(0.001, 42);
    try (EmulatedStm32 device = EmulatedStm32.start(chips.get(), noisy)) {
      long address = slotA(device.chip());
      long retries = flashUntilVerified(device, address, data, 3);
      assertThat(device.flashAt(address, data.length)).isEqualTo(data);
      assertThat(device.server().corruptedBytes()).isPositive();
      assertThat(retries).isPositive();
    }
  }

  @Test
  void aVeryNoisyLineNeverPassesWrongBytesAsVerified() throws Exception {
    byte[] data = blob(8 * 1024, 4);
    LineSettings noisy = EmulatedStm32.line(FAST).withCorruption(0.02, 7);
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32f4(), noisy)) {
      long address = slotA(device.chip());
      try {
        flashUntilVerified(device, address, data, 2);
        assertThat(device.flashAt(address, data.length)).isEqualTo(data);
      } catch (FlashException e) {
        assertThat(e.isTransient()).as(e.getMessage()).isTrue();
      }
      assertThat(device.server().corruptedBytes()).isPositive();
    }
  }

  /**
   * Connects, writes and verifies up to {@code rounds} times, as a rollout retries a device; checks
   * after every verify that passed that the flash really holds the bytes. Returns the retries.
   */
  private static long flashUntilVerified(
      EmulatedStm32 device, long address, byte[] data, int rounds) throws Exception {
    long retries = 0;
    for (int round = 1; ; round++) {
      Attempt attempt = new Attempt();
      try (ByteLine line = open(device)) {
        attempt.session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
        attempt.session.write(address, data, FlashProgress.NONE);
        attempt.session.verify(address, data);
        assertThat(device.flashAt(address, data.length))
            .as("verify passed, so the flash holds the bytes")
            .isEqualTo(data);
        return retries + attempt.retries();
      } catch (FlashException e) {
        assertThat(e.isTransient()).as(e.getMessage()).isTrue();
        retries += attempt.retries();
        if (round == rounds) {
          throw e;
        }
      }
    }
  }

  /** The session of one round, once it connected. */
  private static final class Attempt {
    Stm32BootSession session;

    long retries() {
      return session == null ? 0 : session.retries();
    }
  }

  @ParameterizedTest
  @MethodSource("chips")
  void aPowerCutEndsInATransientFailureNotAHang(Supplier<Stm32Chip> chips) throws Exception {
    byte[] data = blob(8 * 1024, 5);
    try (EmulatedStm32 device = EmulatedStm32.start(chips.get(), EmulatedStm32.line(FAST));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
      device.flash().cutPowerAfter(3000);
      FlashException failure =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () ->
                  catchFlash(() -> session.write(slotA(device.chip()), data, FlashProgress.NONE)));
      assertThat(failure.isTransient()).isTrue();
      assertThat(failure.failure()).isIn(FlashFailure.TIMEOUT, FlashFailure.NO_SYNC);
      assertThat(device.counters().powerLosses()).isOne();
    }
  }

  @Test
  void aHungLineEndsInATransientFailure() throws Exception {
    byte[] data = blob(8 * 1024, 6);
    try (EmulatedStm32 device =
            EmulatedStm32.start(Stm32Chip.stm32l4(), EmulatedStm32.line(FAST).withHangAfter(2000));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
      FlashException failure =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () -> catchFlash(() -> session.write(0x0808_0000L, data, FlashProgress.NONE)));
      assertThat(failure.isTransient()).isTrue();
    }
  }

  @Test
  void anUnknownProductIdIsTheWrongChip() throws Exception {
    try (EmulatedStm32 device =
            EmulatedStm32.start(Stm32Chip.stm32f4().withPid(0x419), EmulatedStm32.line(FAST));
        ByteLine line = open(device)) {
      assertThatThrownBy(() -> Stm32BootSession.connect(line, Stm32BootOptions.at(FAST)))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(FlashFailure.WRONG_CHIP);
                assertThat(e.isTransient()).isFalse();
              })
          .hasMessageContaining("0x419");
    }
  }

  @Test
  void rangesOutsideTheFlashOrOffAPageAreRefusedBeforeAnyErase() throws Exception {
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32f4(), EmulatedStm32.line(FAST));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
      long commands = device.counters().commands();
      assertThatThrownBy(() -> session.write(0x080E_0000L, blob(0x20100, 8), FlashProgress.NONE))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.OUT_OF_RANGE));
      assertThatThrownBy(() -> session.write(0x0802_0100L, blob(16, 9), FlashProgress.NONE))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.OUT_OF_RANGE));
      assertThat(device.counters().commands()).isEqualTo(commands);
    }
  }

  @Test
  void verifyFindsBytesThatDifferFromWhatWasWritten() throws Exception {
    byte[] data = blob(4096, 10);
    data[3000] = (byte) 0xFF;
    try (EmulatedStm32 device = EmulatedStm32.start(Stm32Chip.stm32l4(), EmulatedStm32.line(FAST));
        ByteLine line = open(device)) {
      Stm32BootSession session = Stm32BootSession.connect(line, Stm32BootOptions.at(FAST));
      session.write(0x0808_0000L, data, FlashProgress.NONE);
      device.flash().write(0x80000 + 3000, new byte[] {0}, 0, 1);
      assertThatThrownBy(() -> session.verify(0x0808_0000L, data))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.VERIFY_MISMATCH))
          .hasMessageContaining("0x08080BB8");
    }
  }

  /** A flash operation that must fail, and its failure. */
  @FunctionalInterface
  private interface FlashOperation {
    void run() throws FlashException;
  }

  private static FlashException catchFlash(FlashOperation operation) {
    try {
      operation.run();
    } catch (FlashException e) {
      return e;
    }
    throw new AssertionError("the operation succeeded although the bootloader went silent");
  }
}
