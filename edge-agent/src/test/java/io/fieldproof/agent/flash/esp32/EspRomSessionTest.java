package io.fieldproof.agent.flash.esp32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.device.emulator.esp32.EspRomLoader;
import io.fieldproof.device.emulator.esp32.RomLoaderCounters;
import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EspRomSessionTest {

  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x01, 0x02, 0x03};
  private static final int SLOT = SlotLayout.forChip("esp32").slotA();
  private static final Duration CONNECT = Duration.ofSeconds(5);

  private final EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
  private final RomLoaderCounters counters = new RomLoaderCounters();
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : open) {
      closeable.close();
    }
  }

  private ByteLine line(LineSettings settings, Function<LinePort, LineProtocol> device)
      throws IOException {
    LineServer server = LineServer.start(0, settings, device);
    open.push(server);
    ByteLine line = ByteLine.open(server.uri(), CONNECT);
    open.push(line);
    return line;
  }

  private ByteLine emulator(LineSettings settings) throws IOException {
    return line(settings, EspRomLoader.factory(flash, MAC, counters));
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] model(String name) throws IOException {
    return Files.readAllBytes(ProjectPaths.root().resolve("model/fixtures/models").resolve(name));
  }

  @Test
  void writesAndVerifiesACompressedModelAndReportsProgress() throws Exception {
    byte[] model = model("too_large.tflite");
    AtomicLong done = new AtomicLong();
    try (EspRomSession session = EspRomSession.connect(emulator(LineSettings.ideal()), options())) {
      session.write(
          SLOT, model, (written, total) -> done.set(total == model.length ? written : -1));
      session.verify(SLOT, model);

      assertThat(session.chip()).isEqualTo("esp32");
      assertThat(session.flashSize()).isEqualTo(4 * 1024 * 1024);
    }

    assertThat(flash.read(SLOT, model.length)).isEqualTo(model);
    assertThat(done).hasValue(model.length);
    assertThat(counters.refusedCommands()).isZero();
  }

  @Test
  void writesPlainBlocksWhenAskedAndReadsThemBack() throws Exception {
    byte[] blob = random(50 * 1024 + 100, 1);
    try (EspRomSession session =
        EspRomSession.connect(emulator(LineSettings.ideal()), options().withCompress(false))) {
      session.write(SLOT, blob, (written, total) -> {});
      session.verify(SLOT, blob);

      assertThat(session.read(SLOT + 50 * 1024 - 30, 130))
          .isEqualTo(Arrays.copyOfRange(blob, 50 * 1024 - 30, 50 * 1024 + 100));
    }

    assertThat(flash.read(SLOT, blob.length)).isEqualTo(blob);
  }

  @Test
  void switchesToAFasterBaudRateOnAPacedLine() throws Exception {
    byte[] blob = random(16 * 1024, 2);
    try (EspRomSession session =
        EspRomSession.connect(
            emulator(LineSettings.ideal().withBaud(115_200)), options().withBaud(921_600))) {
      session.write(SLOT, blob, (written, total) -> {});
      session.verify(SLOT, blob);
    }

    assertThat(flash.read(SLOT, blob.length)).isEqualTo(blob);
  }

  @Test
  void verifyFailsWhenTheFlashHoldsOtherBytes() throws Exception {
    byte[] blob = random(5000, 3);
    byte[] other = blob.clone();
    other[4999] ^= 1;
    try (EspRomSession session = EspRomSession.connect(emulator(LineSettings.ideal()), options())) {
      session.write(SLOT, blob, (written, total) -> {});

      assertThatThrownBy(() -> session.verify(SLOT, other))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.VERIFY_MISMATCH));
    }
  }

  @Test
  void refusesMisalignedAndOutOfRangeWritesBeforeSendingThem() throws Exception {
    try (EspRomSession session = EspRomSession.connect(emulator(LineSettings.ideal()), options())) {
      assertThatThrownBy(() -> session.write(SLOT + 0x400, new byte[16], (d, t) -> {}))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.OUT_OF_RANGE));
      assertThatThrownBy(() -> session.write(0x3FF000, new byte[0x2000], (d, t) -> {}))
          .isInstanceOfSatisfying(
              FlashException.class,
              e -> assertThat(e.failure()).isEqualTo(FlashFailure.OUT_OF_RANGE));
    }
    assertThat(counters.refusedCommands()).isZero();
  }

  @Test
  void aCorruptingLineEndsVerifiedOrWithATransientFailureNeverWithWrongBytes() throws Exception {
    byte[] compressible = model("too_large.tflite");
    byte[] incompressible = random(40 * 1024, 4);
    int verified = 0;
    for (long seed = 1; seed <= 4; seed++) {
      flash.erase(SLOT, 0x10000);
      byte[] image = seed % 2 == 0 ? compressible : incompressible;
      double rate = seed == 4 ? 1.0 / 2_000 : 1.0 / 20_000;
      LineServer server =
          LineServer.start(
              0,
              LineSettings.ideal().withCorruption(rate, seed),
              EspRomLoader.factory(flash, MAC, counters));
      open.push(server);
      try (ByteLine line = ByteLine.open(server.uri(), CONNECT);
          EspRomSession session = EspRomSession.connect(line, options())) {
        session.write(SLOT, image, (written, total) -> {});
        session.verify(SLOT, image);
        assertThat(flash.read(SLOT, image.length)).as("seed %d", seed).isEqualTo(image);
        verified++;
      } catch (FlashException e) {
        assertThat(e.isTransient()).as("%s", e).isTrue();
      }
      assertThat(server.corruptedBytes()).as("seed %d", seed).isPositive();
    }
    assertThat(verified).isPositive();
    assertThat(counters.refusedCommands() + counters.droppedFrames()).isPositive();
  }

  @Test
  void aLostReplyMakesTheBlockGoAgainAndTheLoaderDoesNotApplyItTwice() throws Exception {
    byte[] model = model("too_large.tflite");
    AtomicLong replies = new AtomicLong();
    ByteLine line =
        line(
            LineSettings.ideal(),
            port ->
                new EspRomLoader(
                    new LinePort() {
                      @Override
                      public void send(byte[] bytes) {
                        if (replies.incrementAndGet() != 16) {
                          port.send(bytes);
                        }
                      }

                      @Override
                      public void changeBaud(int baud) {
                        port.changeBaud(baud);
                      }

                      @Override
                      public int baud() {
                        return port.baud();
                      }
                    },
                    flash,
                    MAC,
                    counters));
    try (EspRomSession session = EspRomSession.connect(line, options())) {
      session.write(SLOT, model, (written, total) -> {});
      session.verify(SLOT, model);
    }

    assertThat(replies.get())
        .as("the 16th reply, to compressed block 2, was lost")
        .isGreaterThan(16);
    assertThat(flash.read(SLOT, model.length)).isEqualTo(model);
    assertThat(counters.refusedCommands()).isZero();
  }

  @Test
  void aPowerCutEndsInATimeoutNotAHang() throws Exception {
    byte[] blob = random(50 * 1024, 5);
    EspRomSession session = EspRomSession.connect(emulator(LineSettings.ideal()), options());
    open.push(session);
    flash.cutPowerAfter(20_000);

    FlashException failure =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              try {
                session.write(SLOT, blob, (written, total) -> {});
                return null;
              } catch (FlashException e) {
                return e;
              }
            });

    assertThat(failure).isNotNull();
    assertThat(failure.failure()).isIn(FlashFailure.TIMEOUT, FlashFailure.LINK_LOST);
    assertThat(failure.isTransient()).isTrue();
  }

  @Test
  void aSilentLineGivesNoSync() throws Exception {
    ByteLine line = line(LineSettings.ideal(), port -> (data, offset, length) -> {});

    assertThatThrownBy(() -> EspRomSession.connect(line, options()))
        .isInstanceOfSatisfying(
            FlashException.class, e -> assertThat(e.failure()).isEqualTo(FlashFailure.NO_SYNC));
  }

  @Test
  void aDeviceSpeakingAnotherProtocolGivesNoSync() throws Exception {
    ByteLine line =
        line(
            LineSettings.ideal(),
            port -> (data, offset, length) -> port.send(new byte[] {0x1F, (byte) 0xC0, 0x79}));

    assertThatThrownBy(() -> EspRomSession.connect(line, options()))
        .isInstanceOfSatisfying(
            FlashException.class, e -> assertThat(e.failure()).isEqualTo(FlashFailure.NO_SYNC));
  }

  @Test
  void anotherEspressifChipIsTheWrongChip() throws Exception {
    ByteLine line = line(LineSettings.ideal(), OtherEspressifRom::new);

    assertThatThrownBy(() -> EspRomSession.connect(line, options()))
        .isInstanceOfSatisfying(
            FlashException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(FlashFailure.WRONG_CHIP);
              assertThat(e.isTransient()).isFalse();
              assertThat(e).hasMessageContaining("0xfff0c101");
            });
  }

  private static EspRomOptions options() {
    return EspRomOptions.defaults().withAttempts(5, 6).withReplyTimeout(Duration.ofMillis(300));
  }
}
