package io.fieldproof.agent.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.inapp.RuntimeSlotSession;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinks;
import io.fieldproof.agent.update.ModelSource;
import io.fieldproof.agent.update.ModelUpdater;
import io.fieldproof.agent.update.UpdateException;
import io.fieldproof.agent.update.UpdateListener;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateReason;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.agent.update.UpdateTarget;
import io.fieldproof.device.emulator.Chip;
import io.fieldproof.device.emulator.DeviceEmulator;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.SelfTest;
import io.fieldproof.testsupport.ProjectPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts during the agent's in-app update of the C firmware, on the host build and on the
 * STM32F405 build under QEMU: 10 runs each. Every run provisions a flash file with the old model
 * (dense_anomaly.tflite, slot A) through the Java emulator, starts the firmware on it with a cut
 * armed, runs the agent's own {@link ModelUpdater} towards dense_anomaly_v2.tflite until the device
 * dies, starts the firmware again on the same file without a cut, and checks that the active slot
 * holds the old or the new model intact (HELLO, the record on flash, SLOT_DIGEST, and a SELFTEST of
 * every golden vector of that model), that the boot rules put the other slot where they must, and
 * that the agent then finishes the update.
 *
 * <p>The cut points of a run's ten (shuffled by a seeded {@link Random}): three after a random
 * number of the slot's bytes and three after a random number of the record bytes ACTIVATE and
 * CONFIRM program (NEW, PENDING_VERIFY, VALID: the firmware's own {@code --power-cut-after}, which
 * ends the process at that byte), two SIGKILLs at a random time of the trial, two at a random time
 * just after CONFIRM. The seed is printed; {@code -Dfieldproof.powercut.seed=S} replays it (the
 * SIGKILL times are wall-clock times, so those runs replay only approximately). Skipped when a
 * build or QEMU is missing, except in CI.
 */
class FirmwarePowerCutTest {

  private static final Path MODELS = ProjectPaths.root().resolve("model/fixtures/models");
  private static final String OLD = "dense_anomaly";
  private static final String NEW = "dense_anomaly_v2";
  private static final String CHIP = "stm32f4";
  private static final int RUNS = 10;
  private static final int POWER_CUT_EXIT = 3;
  private static final Duration TRIAL = Duration.ofMillis(400);
  private static final Duration LINK_TIMEOUT = Duration.ofSeconds(5);
  private static final ModelUpdater.Settings SETTINGS =
      new ModelUpdater.Settings(
          1,
          Duration.ofMillis(20),
          Duration.ofSeconds(60),
          Duration.ofSeconds(5),
          Duration.ofMillis(50));

  /** One seed for both builds' plans (the QEMU build's is the seed + 1). */
  private static final long SEED = seed();

  @TempDir Path dir;

  @Test
  void theHostBuildBootsTheOldOrTheNewModelAfterAPowerCut() throws Exception {
    Path binary = ProjectPaths.root().resolve("firmware/build/host/fieldproof-fw-host");
    requirePresent(binary, "firmware not built (" + binary + "): run firmware/test.sh");
    runAll(new HostBuild(binary), 0);
  }

  @Test
  void theStm32BuildUnderQemuBootsTheOldOrTheNewModelAfterAPowerCut() throws Exception {
    Path root = ProjectPaths.root();
    Path image = root.resolve("firmware/build/stm32f4/fieldproof-fw-stm32f4.elf");
    requirePresent(image, "firmware not built (" + image + "): run firmware/test.sh");
    requirePresent(
        Path.of("/usr/bin/qemu-system-arm"), "qemu-system-arm missing: run firmware/test.sh");
    runAll(new QemuBuild(root.resolve("firmware/scripts/qemu-stm32f4.sh")), 1);
  }

  private void runAll(FirmwareBuild build, long seedOffset) throws Exception {
    long seed = SEED;
    Models models = Models.load();
    Path provisioned = provision(models);
    List<Cut> plan = Cut.plan(new Random(seed + seedOffset), models.update().length);
    System.out.printf(
        "%s: %d power cuts, seed %d (-Dfieldproof.powercut.seed=%d replays them)%n",
        build.name(), plan.size(), seed, seed);
    long start = System.nanoTime();
    int oldKept = 0;
    int newKept = 0;
    int secondUpdates = 0;
    for (int i = 0; i < plan.size(); i++) {
      Path flash = dir.resolve(build.name() + "-" + i + ".flash");
      Files.copy(provisioned, flash);
      RunReport report = new PowerCutRun(build, models, flash, plan.get(i)).run();
      System.out.printf("%s run %d: %s%n", build.name(), i + 1, report);
      if (report.newKept()) {
        newKept++;
      } else {
        oldKept++;
      }
      secondUpdates += report.updatedAfterwards() ? 1 : 0;
    }
    System.out.printf(
        "%s: old model kept %d, new model kept %d, the agent finished the update afterwards %d of"
            + " %d; %d ms, seed %d%n",
        build.name(),
        oldKept,
        newKept,
        secondUpdates,
        plan.size(),
        (System.nanoTime() - start) / 1_000_000,
        seed);
    assertThat(oldKept).as("runs that kept the old model (seed " + seed + ")").isPositive();
    assertThat(newKept).as("runs that kept the new model (seed " + seed + ")").isPositive();
    assertThat(secondUpdates).as("updates finished after the restart").isEqualTo(plan.size());
  }

  private static long seed() {
    String given = System.getProperty("fieldproof.powercut.seed");
    if (given == null || given.isBlank()) {
      given = System.getenv("FIELDPROOF_POWERCUT_SEED");
    }
    return given == null || given.isBlank() ? new Random().nextLong() : Long.parseLong(given);
  }

  /** The Java emulator writes the old model into slot A of a flash file, then powers off. */
  private Path provision(Models models) throws IOException {
    Path flash = dir.resolve("provisioned.flash");
    try (DeviceEmulator emulator =
        DeviceEmulator.builder(Chip.STM32F4)
            .seed(1)
            .flashFile(flash)
            .activeModel("dense-anomaly", "1.0.0", models.current())
            .build()) {
      assertThat(emulator.hello().slots().active()).isEqualTo("A");
    }
    return flash;
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

  /** Where the power goes: a byte count for the firmware's own cut, or a SIGKILL delay. */
  enum CutKind {
    /** {@code --power-cut-after N}, N within the slot's bytes. */
    SLOT_BYTES,
    /** {@code --power-cut-after N}, N within the three records ACTIVATE and CONFIRM program. */
    RECORD_BYTES,
    /** SIGKILL a random time after the trial starts, before CONFIRM. */
    KILL_ON_TRIAL,
    /** SIGKILL a random time after CONFIRM was answered. */
    KILL_AFTER_CONFIRM
  }

  /**
   * One cut point.
   *
   * @param value bytes programmed before the cut, or milliseconds before the SIGKILL
   * @param modelBytes the update's size: the records' bytes come after the slot's
   */
  record Cut(CutKind kind, long value, int modelBytes) {

    /** Ten cut points of every kind in a random order. */
    static List<Cut> plan(Random random, int modelBytes) {
      List<Cut> cuts = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        cuts.add(new Cut(CutKind.SLOT_BYTES, random.nextInt(modelBytes), modelBytes));
        cuts.add(
            new Cut(
                CutKind.RECORD_BYTES,
                modelBytes + random.nextInt(3 * SlotRecord.BYTES),
                modelBytes));
      }
      for (int i = 0; i < 2; i++) {
        cuts.add(
            new Cut(
                CutKind.KILL_ON_TRIAL, random.nextInt((int) TRIAL.toMillis() * 3 / 4), modelBytes));
        cuts.add(new Cut(CutKind.KILL_AFTER_CONFIRM, random.nextInt(100), modelBytes));
      }
      Collections.shuffle(cuts, random);
      assertThat(cuts).hasSize(RUNS);
      return cuts;
    }

    boolean byFirmware() {
      return kind == CutKind.SLOT_BYTES || kind == CutKind.RECORD_BYTES;
    }

    long firmwareCutAfter() {
      return byFirmware() ? value : -1;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case SLOT_BYTES -> "cut after " + value + " bytes (slot write)";
        case RECORD_BYTES ->
            "cut after "
                + value
                + " bytes (record byte "
                + (value - modelBytes)
                + " of the "
                + 3 * SlotRecord.BYTES
                + " ACTIVATE and CONFIRM program)";
        case KILL_ON_TRIAL -> "SIGKILL " + value + " ms into the trial";
        case KILL_AFTER_CONFIRM -> "SIGKILL " + value + " ms after CONFIRM";
      };
    }
  }

  /** The two fixture models, their golden vectors and the update request. */
  record Models(
      byte[] current,
      byte[] update,
      List<SelfTest.Vector> currentGolden,
      List<SelfTest.Vector> updateGolden) {

    static Models load() throws IOException {
      return new Models(
          Files.readAllBytes(MODELS.resolve(OLD + ".tflite")),
          Files.readAllBytes(MODELS.resolve(NEW + ".tflite")),
          golden(OLD),
          golden(NEW));
    }

    String currentSha() {
      return sha(current);
    }

    String updateSha() {
      return sha(update);
    }

    /** What the operator sends: the model and four of its golden vectors, exact. */
    UpdateRequest request() {
      return new UpdateRequest(
          new ModelRef("dense-anomaly", "2.0.0", updateSha(), update.length),
          new SelfTest(0, updateGolden.subList(0, 4)),
          TRIAL);
    }

    /** The chunk transfer, after it verified the bytes. */
    ModelSource source() {
      return (model, timeout) -> {
        if (!model.sha256().equals(updateSha())) {
          throw new UpdateException(UpdateReason.DownloadFailed, "no model " + model.sha256());
        }
        return update.clone();
      };
    }

    private static List<SelfTest.Vector> golden(String name) throws IOException {
      JsonNode vectors =
          new ObjectMapper()
              .readTree(MODELS.resolve(name + ".golden.json").toFile())
              .get("vectors");
      List<SelfTest.Vector> list = new ArrayList<>();
      vectors.forEach(
          v ->
              list.add(
                  new SelfTest.Vector(ints(v.get("input").get(0)), ints(v.get("output").get(0)))));
      return list;
    }

    private static List<Integer> ints(JsonNode array) {
      List<Integer> values = new ArrayList<>();
      array.forEach(v -> values.add(v.asInt()));
      return values;
    }

    static String sha(byte[] bytes) {
      return HexFormat.of().formatHex(ModelSlots.sha256(bytes));
    }
  }

  /** What one run found. */
  record RunReport(
      Cut cut,
      String death,
      String firstUpdate,
      SlotTable booted,
      Optional<SlotRecord> other,
      boolean newKept,
      boolean updatedAfterwards) {

    @Override
    public String toString() {
      return cut
          + "; "
          + death
          + "; the agent's update: "
          + firstUpdate
          + "; boots "
          + booted.active()
          + " "
          + booted.activeState()
          + " "
          + booted.activeModel().version()
          + (newKept ? " (new model)" : " (old model)")
          + ", the other slot's record "
          + other.map(r -> r.state() + " " + r.version()).orElse("absent")
          + "; update after the restart "
          + (updatedAfterwards ? "confirmed" : "NOT confirmed");
    }
  }

  /** One run: cut, restart, check, update again. */
  private static final class PowerCutRun {

    private final FirmwareBuild build;
    private final Models models;
    private final Path flash;
    private final Cut cut;

    PowerCutRun(FirmwareBuild build, Models models, Path flash, Cut cut) {
      this.build = build;
      this.models = models;
      this.flash = flash;
      this.cut = cut;
    }

    RunReport run() throws Exception {
      String first;
      String death;
      ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
      try (RunningFirmware device = build.start(flash, cut.firmwareCutAfter(), "cut");
          DeviceLink link = DeviceLinks.open(device.uri(), LINK_TIMEOUT)) {
        UpdateListener listener = killAt(killer, device);
        UpdateResult result = update(link, listener);
        first = result.confirmed() ? "confirmed" : result.phase() + " (" + result.reason() + ")";
        int exit = device.awaitEnd(Duration.ofSeconds(10), cut + ", update " + first);
        if (cut.byFirmware()) {
          assertThat(exit)
              .as("%s: the firmware cut its power (%s)", cut, device.log())
              .isEqualTo(POWER_CUT_EXIT);
          assertThat(result.confirmed()).as("%s: the update cannot confirm", cut).isFalse();
          death = "firmware exit " + exit;
        } else {
          death = "killed";
        }
        if (cut.kind() == CutKind.KILL_AFTER_CONFIRM) {
          assertThat(result.confirmed()).as("%s: %s", cut, result.message()).isTrue();
        }
      } finally {
        killer.shutdownNow();
      }
      Optional<SlotRecord> otherAtCut = record(flash, SlotLayout.B);

      try (RunningFirmware device = build.start(flash, -1, "restart");
          DeviceLink link = DeviceLinks.open(device.uri(), LINK_TIMEOUT)) {
        SlotTable booted = link.hello().slots();
        boolean newKept = checkIntact(link, booted);
        int other = SlotTable.SLOT_A.equals(booted.active()) ? SlotLayout.B : SlotLayout.A;
        Optional<SlotRecord> otherRecord = record(flash, other);
        checkBootRules(booted, newKept, otherAtCut, otherRecord);
        UpdateResult second = update(link, (phase, detail) -> {});
        assertThat(second.confirmed())
            .as("%s: update after the restart: %s", cut, second.message())
            .isTrue();
        SlotTable after = link.hello().slots();
        assertThat(after.activeModel().sha256()).isEqualTo(models.updateSha());
        assertThat(after.activeState()).isEqualTo("VALID");
        return new RunReport(cut, death, first, booted, otherRecord, newKept, true);
      }
    }

    /** SIGKILLs the device on its phase; firmware cuts need nothing. */
    private UpdateListener killAt(ScheduledExecutorService killer, RunningFirmware device) {
      return (phase, detail) -> {
        boolean due =
            cut.kind() == CutKind.KILL_ON_TRIAL && phase == UpdatePhase.Trial
                || cut.kind() == CutKind.KILL_AFTER_CONFIRM && phase == UpdatePhase.Confirmed;
        if (due) {
          killer.schedule(device::cutPower, cut.value(), TimeUnit.MILLISECONDS);
        }
      };
    }

    private UpdateResult update(DeviceLink link, UpdateListener listener) throws IOException {
      Hello hello = link.hello();
      UpdateTarget target = new UpdateTarget(link, CHIP, hello.capabilities(), null);
      return new ModelUpdater(models.source(), (uri, chip) -> null, SETTINGS)
          .update(target, models.request(), listener);
    }

    /**
     * The active slot holds the old or the new model, its record on flash says so, its bytes hash
     * to the record's sha256 and every golden vector of that model gives tflite-micro's output.
     *
     * @return true when the new model runs
     */
    private boolean checkIntact(DeviceLink link, SlotTable booted)
        throws IOException, FlashException {
      assertThat(booted.active()).as("%s: a model boots", cut).isNotNull();
      io.fieldproof.device.protocol.ModelRef active = booted.activeModel();
      assertThat(active.sha256()).as("%s", cut).isIn(models.currentSha(), models.updateSha());
      boolean newKept = active.sha256().equals(models.updateSha());
      byte[] bytes = newKept ? models.update() : models.current();
      assertThat(active.size()).isEqualTo(bytes.length);
      assertThat(booted.activeState()).as("%s", cut).isIn("VALID", "PENDING_VERIFY");

      int slot = SlotTable.SLOT_A.equals(booted.active()) ? SlotLayout.A : SlotLayout.B;
      SlotRecord rec = record(flash, slot).orElseThrow();
      assertThat(rec.state().name()).isEqualTo(booted.activeState());
      assertThat(rec.sha256Hex()).isEqualTo(active.sha256());
      assertThat(rec.length()).isEqualTo(bytes.length);

      RuntimeSlotSession session = new RuntimeSlotSession(link);
      assertThat(session.digest(booted.active(), rec.length()))
          .as("%s", cut)
          .isEqualTo(rec.sha256Hex());
      List<SelfTest.Vector> golden = newKept ? models.updateGolden() : models.currentGolden();
      for (SelfTest.Vector vector : golden) {
        assertThat(session.selfTest(booted.active(), rec.length(), vector.input()).output())
            .as("%s: SELFTEST %s of the active model", cut, vector.input())
            .isEqualTo(vector.output());
      }
      return newKept;
    }

    /**
     * What the boot rules of docs/device-protocol.md §4.5 make of the cut: a cut in the slot leaves
     * the old model and no record for B; a model cut on trial comes back ABORTED and the old model
     * runs; a cut after CONFIRM keeps the new model VALID. A record cut may keep either.
     */
    private void checkBootRules(
        SlotTable booted,
        boolean newKept,
        Optional<SlotRecord> otherAtCut,
        Optional<SlotRecord> other) {
      switch (cut.kind()) {
        case SLOT_BYTES -> {
          assertThat(newKept).as("%s: the old model", cut).isFalse();
          assertThat(booted.activeState()).isEqualTo("VALID");
          assertThat(other).as("%s: slot B has no record", cut).isEmpty();
        }
        case KILL_ON_TRIAL -> {
          if (newKept) {
            // the SIGKILL came after CONFIRM's record: the trial had ended
            assertThat(booted.activeState()).as("%s", cut).isEqualTo("VALID");
          } else if (otherAtCut.isPresent()) {
            assertThat(otherAtCut.get().state())
                .as("%s: on trial when the power went", cut)
                .isEqualTo(SlotState.PENDING_VERIFY);
            assertThat(other.map(SlotRecord::state))
                .as("%s: the model on trial comes back ABORTED", cut)
                .contains(SlotState.ABORTED);
            assertThat(booted.activeState()).isEqualTo("VALID");
          } else {
            // the SIGKILL fell between CONFIRM's erase and program: no record, the old model
            assertThat(other).as("%s", cut).isEmpty();
            assertThat(booted.activeState()).isEqualTo("VALID");
          }
        }
        case KILL_AFTER_CONFIRM -> {
          assertThat(newKept).as("%s: the new model", cut).isTrue();
          assertThat(booted.activeState()).isEqualTo("VALID");
        }
        case RECORD_BYTES -> {
          if (!newKept) {
            assertThat(booted.activeState()).as("%s", cut).isEqualTo("VALID");
            assertThat(other.map(SlotRecord::state).orElse(SlotState.ABORTED))
                .as("%s: the other slot's record is absent or not bootable", cut)
                .isIn(SlotState.ABORTED, SlotState.INVALID);
          }
        }
      }
    }

    private static Optional<SlotRecord> record(Path flash, int slot) throws IOException {
      ByteBuffer bytes = ByteBuffer.allocate(SlotRecord.BYTES);
      try (FileChannel channel = FileChannel.open(flash, StandardOpenOption.READ)) {
        channel.read(bytes, SlotLayout.forChip(CHIP).recordOffset(slot));
      }
      return SlotRecord.decode(bytes.array());
    }
  }

  /** A firmware build that starts on a flash file. */
  interface FirmwareBuild {

    String name();

    /**
     * Starts the firmware and waits until it boots.
     *
     * @param cutAfter {@code --power-cut-after} bytes, -1 for none
     * @param label names the log file
     */
    RunningFirmware start(Path flash, long cutAfter, String label) throws IOException;
  }

  /** {@code fieldproof-fw-host}, which prints {@code <id> <chip> tcp://...} once it listens. */
  private record HostBuild(Path binary) implements FirmwareBuild {

    @Override
    public String name() {
      return "host";
    }

    @Override
    public RunningFirmware start(Path flash, long cutAfter, String label) throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  binary.toString(),
                  "--chip",
                  CHIP,
                  "--port",
                  "0",
                  "--seed",
                  "1",
                  "--flash-file",
                  flash.toString()));
      if (cutAfter >= 0) {
        command.addAll(List.of("--power-cut-after", Long.toString(cutAfter)));
      }
      Path log = flash.resolveSibling(flash.getFileName() + "." + label + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String line = RunningFirmware.awaitLine(process, log, "tcp://");
      return new RunningFirmware(process, line.substring(line.indexOf("tcp://")).trim(), log);
    }
  }

  /**
   * {@code scripts/qemu-stm32f4.sh --foreground}: QEMU itself is the child process, so its exit
   * status (3 after a cut) is seen; the firmware prints {@code <id> stm32f4 <flash>} once booted.
   */
  private record QemuBuild(Path script) implements FirmwareBuild {

    @Override
    public String name() {
      return "qemu-stm32f4";
    }

    @Override
    public RunningFirmware start(Path flash, long cutAfter, String label) throws IOException {
      int port;
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      List<String> command =
          new ArrayList<>(
              List.of(
                  script.toString(),
                  "--foreground",
                  "--port",
                  Integer.toString(port),
                  "--seed",
                  "1",
                  "--flash-file",
                  flash.toString()));
      if (cutAfter >= 0) {
        command.addAll(List.of("--power-cut-after", Long.toString(cutAfter)));
      }
      Path log = flash.resolveSibling(flash.getFileName() + "." + label + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      RunningFirmware.awaitLine(process, log, " " + CHIP + " ");
      return new RunningFirmware(process, "tcp://127.0.0.1:" + port, log);
    }
  }

  /** A firmware process; closing it cuts its power if it still runs. */
  record RunningFirmware(Process process, String uri, Path logFile) implements AutoCloseable {

    /** Waits for the boot line in the log; fails with the log if the process ends first. */
    static String awaitLine(Process process, Path log, String marker) throws IOException {
      try {
        return await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> bootLine(process, log, marker), Optional::isPresent)
            .orElseThrow();
      } catch (ConditionTimeoutException e) {
        process.destroyForcibly();
        throw new AssertionError("the firmware did not boot in 20 s: " + Files.readString(log));
      }
    }

    /** The boot line if the log has it; fails with the log when the process ended without it. */
    private static Optional<String> bootLine(Process process, Path log, String marker)
        throws IOException {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains(marker)) {
          return Optional.of(line);
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("the firmware ended before it booted: " + Files.readString(log));
      }
      return Optional.empty();
    }

    /** SIGKILL: a power cut for a process. */
    void cutPower() {
      process.destroyForcibly();
    }

    /** The exit status once the process ended; fails when it still runs after {@code wait}. */
    int awaitEnd(Duration wait, String what) throws InterruptedException {
      assertThat(process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS))
          .as("%s: the firmware lost its power", what)
          .isTrue();
      return process.exitValue();
    }

    String log() {
      try {
        return Files.readString(logFile).trim();
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
