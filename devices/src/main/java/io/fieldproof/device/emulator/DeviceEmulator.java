package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashFile;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import io.fieldproof.device.protocol.DroppedFrames;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameCodec;
import io.fieldproof.device.protocol.FrameDecoder;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.slots.SlotLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One emulated ESP32 or STM32 device running the Fieldproof runtime: the device end of a line. Owns
 * the {@link DeviceRuntime} (what the firmware answers), the line's current connection (one at a
 * time, like a serial port: a new one takes over), the outgoing frame encoding with its fault
 * hooks, and the dropped-frame count. Telemetry is produced by {@link #tick()}, called by a {@link
 * TelemetryScheduler} or by a test. Creates no thread. Its flash lives in memory, or in a {@link
 * FlashFile} when built with one: then a new emulator on the same file is the same chip after a
 * reboot (its slots and records kept, its runtime configuration gone). Thread-safe.
 */
public final class DeviceEmulator implements AutoCloseable {

  private final DeviceIdentity identity;
  private final long seed;
  private final long telemetryIntervalMs;
  private final DroppedFrames dropped = new DroppedFrames();
  private final DeviceRuntime runtime;
  private final FaultInjector faults;
  private final ModelSlots slots;
  private final SimulatedVitals vitals;
  private EmulatorConnection connection;

  private DeviceEmulator(Builder builder) {
    this.seed = builder.seed;
    this.identity =
        builder.firmware == null
            ? DeviceIdentity.of(builder.chip, seed)
            : DeviceIdentity.of(builder.chip, seed).withFirmware(builder.firmware);
    this.telemetryIntervalMs = builder.telemetryIntervalMs;
    this.faults = new FaultInjector(seed);
    SlotLayout layout = SlotLayout.forChip(builder.chip.wireName());
    this.slots = new ModelSlots(flash(builder, layout), layout);
    if (builder.activeModel != null && slots.flash().isBlank()) {
      provision(builder.activeModel);
    }
    slots.boot();
    this.vitals = new SimulatedVitals(builder.chip.family(), builder.clock);
    builder.vitals.forEach(set -> set.accept(vitals));
    this.runtime =
        new DeviceRuntime(
            identity,
            slots,
            builder.runtimeVersion,
            new SensorBank(seed, builder.defaultScenario),
            builder.clock,
            dropped,
            vitals);
  }

  private static EmulatedFlash flash(Builder builder, SlotLayout layout) {
    if (builder.flashFile == null) {
      return new EmulatedFlash(layout.sectors());
    }
    try {
      return new EmulatedFlash(
          layout.sectors(), FlashFile.open(builder.flashFile, layout.sectors().size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Factory programming of a blank chip: the model goes into slot A, valid. */
  private void provision(Builder.Provisioned model) {
    slots.beginUpdate(ModelSlots.A);
    slots.write(ModelSlots.A, 0, model.tflite());
    slots.commit(
        ModelSlots.A,
        model.tflite().length,
        ModelSlots.sha256(model.tflite()),
        model.name(),
        model.version());
    slots.boot();
    slots.confirm();
  }

  /** A builder for an emulated {@code chip}; everything else has defaults. */
  public static Builder builder(Chip chip) {
    return new Builder(chip);
  }

  /** An emulated {@code chip} with identity derived from {@code seed} and default options. */
  public static DeviceEmulator create(Chip chip, long seed) {
    return builder(chip).seed(seed).build();
  }

  public DeviceIdentity identity() {
    return identity;
  }

  public String deviceId() {
    return identity.deviceId();
  }

  public Chip chip() {
    return identity.chip();
  }

  public long seed() {
    return seed;
  }

  /** Milliseconds between two telemetry frames when driven by a {@link TelemetryScheduler}. */
  public long telemetryIntervalMs() {
    return telemetryIntervalMs;
  }

  /** The device's model slots on its emulated flash (what the bootloaders read and write). */
  public ModelSlots slots() {
    return slots;
  }

  /** The device's emulated flash. */
  public EmulatedFlash flash() {
    return slots.flash();
  }

  /**
   * Wraps a ROM bootloader protocol so that a host connecting to it resets the chip into the
   * bootloader (the firmware halts: no answers, no telemetry) and its leaving resets the chip into
   * the firmware, which boots whatever the slot records say.
   */
  public Function<LinePort, LineProtocol> resettingInto(
      Function<LinePort, LineProtocol> bootloader) {
    return port -> {
      runtime.halt();
      LineProtocol inner = bootloader.apply(port);
      return new LineProtocol() {
        @Override
        public void received(byte[] data, int offset, int length) {
          inner.received(data, offset, length);
        }

        @Override
        public void closed() {
          inner.closed();
          runtime.reboot();
        }
      };
    };
  }

  /** Resets the chip (the EN button, a watchdog): the firmware boots again. */
  public void reset() {
    runtime.reboot();
  }

  /**
   * Fault hook: the firmware's self-test outputs are off by {@code delta} (a firmware whose kernels
   * disagree with the reference); 0 heals it.
   */
  public void skewSelfTests(int delta) {
    runtime.skewSelfTests(delta);
  }

  /** Fault hook: the firmware hangs and answers nothing until the next reset. */
  public void hang() {
    runtime.halt();
  }

  /** Whether the firmware is halted (in the bootloader, hung). */
  public boolean halted() {
    return runtime.halted();
  }

  /** Resets since the emulator started. */
  public long resets() {
    return runtime.resets();
  }

  /** Fault hook: the power goes after {@code bytes} more bytes are programmed into flash. */
  public void cutPowerAfterBytes(long bytes) {
    slots.flash().cutPowerAfter(bytes);
  }

  /**
   * The board's battery and link as STATS reports them; a test sets them (a battery that drains, a
   * weak link) and the device reports them from its next STATS on.
   */
  public SimulatedVitals vitals() {
    return vitals;
  }

  /** What the device answers to HELLO. */
  public Hello hello() {
    return runtime.hello();
  }

  /** What the device answers to STATS. */
  public Stats stats() {
    return runtime.stats();
  }

  /** Generation of the applied configuration, 0 before the first CONFIG. */
  public long appliedGeneration() {
    return runtime.appliedGeneration();
  }

  /** The applied configuration, a copy. */
  public Optional<JsonNode> config() {
    return runtime.config();
  }

  /**
   * Connects a transport; a connection that was attached before is disconnected (the host end
   * restarted or a second client took the line over).
   */
  public EmulatorConnection attach(FrameSink sink) {
    EmulatorConnection attached = new EmulatorConnection(this, sink, new FrameDecoder(dropped));
    EmulatorConnection previous;
    synchronized (this) {
      previous = connection;
      connection = attached;
    }
    if (previous != null) {
      previous.disconnect();
    }
    return attached;
  }

  /** Whether a connection is attached. */
  public synchronized boolean isAttached() {
    return connection != null;
  }

  /**
   * Takes one reading of every configured input and sends it as a TELEMETRY frame to the attached
   * connection, if any. Does nothing before a configuration with inputs was applied.
   */
  public void tick() {
    runtime.telemetry().ifPresent(frame -> send(frame, currentConnection()));
  }

  /** Sets the scenario of the sensor of {@code input}, now or when the input gets configured. */
  public void setScenario(String input, SensorScenario scenario) {
    runtime.setScenario(Objects.requireNonNull(input), Objects.requireNonNull(scenario));
  }

  /** The scenario of the sensor of {@code input}. */
  public SensorScenario scenario(String input) {
    return runtime.scenario(input);
  }

  /**
   * Test bench hook: the sensor of {@code input} reads {@code value} at every tick from now on
   * (null: it drops out), instead of its scenario, until set again or {@link #releaseReading}. Lets
   * a test feed a recorded sensor sequence (the conformance cases' {@code readings}).
   */
  public void holdReading(String input, Double value) {
    runtime.holdReading(Objects.requireNonNull(input), value);
  }

  /** The sensor of {@code input} follows its scenario again. */
  public void releaseReading(String input) {
    runtime.releaseReading(Objects.requireNonNull(input));
  }

  /** The readings held now instead of their scenarios, per input (empty: held as a dropout). */
  public Map<String, Optional<Double>> heldReadings() {
    return runtime.heldReadings();
  }

  /**
   * Fault hook: corrupts this fraction of outgoing frames (responses and telemetry) by changing one
   * byte after the CRC was computed.
   *
   * @param rate 0 (never, the default) to 1 (every frame)
   */
  public void corruptOutgoingFrames(double rate) {
    faults.corruptionRate(rate);
  }

  /** Outgoing frames corrupted by {@link #corruptOutgoingFrames}. */
  public long framesCorrupted() {
    return faults.corrupted();
  }

  /** Fault hook: drops the attached connection abruptly, as an unplugged cable would. */
  public void dropConnection() {
    EmulatorConnection dropped;
    synchronized (this) {
      dropped = connection;
      connection = null;
    }
    if (dropped != null) {
      dropped.disconnect();
    }
  }

  /** Damaged frames received from hosts and dropped. */
  public long framesDropped() {
    return dropped.total();
  }

  /**
   * Powers the chip off for good: drops the connection and releases the flash file, if any, which a
   * new emulator may then open (the same chip, rebooted).
   */
  @Override
  public void close() {
    dropConnection();
    slots.flash().close();
  }

  @Override
  public String toString() {
    return identity.chip().wireName() + " " + identity.deviceId();
  }

  Optional<Frame> handle(Frame request) {
    return runtime.handle(request);
  }

  void send(Frame frame, EmulatorConnection target) {
    if (target != null) {
      target.write(FrameCodec.toWire(faults.apply(FrameCodec.toRaw(frame))));
    }
  }

  synchronized void detached(EmulatorConnection ended) {
    if (connection == ended) {
      connection = null;
    }
  }

  private synchronized EmulatorConnection currentConnection() {
    return connection;
  }

  /** Options of a {@link DeviceEmulator}. */
  public static final class Builder {

    private final Chip chip;
    private long seed;
    private String firmware;
    private long telemetryIntervalMs = 1000;
    private Provisioned activeModel;
    private String runtimeVersion = Hello.RUNTIME_V3;
    private SensorScenario defaultScenario = SensorScenario.CLEAN;
    private LongSupplier clock = () -> System.nanoTime() / 1_000_000;
    private Path flashFile;
    private final List<Consumer<SimulatedVitals>> vitals = new ArrayList<>();

    private Builder(Chip chip) {
      this.chip = Objects.requireNonNull(chip, "chip");
    }

    /** The seed of the hardware id, the sensors and the fault injection; default 0. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The firmware version reported by HELLO; default per chip family. */
    public Builder firmware(String version) {
      this.firmware = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Milliseconds between telemetry frames under a scheduler; default 1000. */
    public Builder telemetryIntervalMs(long millis) {
      if (millis < 1) {
        throw new IllegalArgumentException("telemetry interval must be at least 1 ms");
      }
      this.telemetryIntervalMs = millis;
      return this;
    }

    /**
     * A model already flashed into slot A and valid (its .tflite bytes): the device runs it on
     * every sensor window once configured.
     */
    public Builder activeModel(String name, String version, byte[] tflite) {
      this.activeModel = new Provisioned(name, version, tflite.clone());
      return this;
    }

    /**
     * The runtime protocol the firmware speaks: {@link Hello#RUNTIME_V3} (default, with slot
     * commands and CAPTURE), {@link Hello#RUNTIME_V2} (slot commands, no capture) or {@link
     * Hello#RUNTIME_V1} (an older firmware: models only through the bootloader).
     */
    public Builder runtimeVersion(String version) {
      if (!Hello.RUNTIME_V1.equals(version)
          && !Hello.RUNTIME_V2.equals(version)
          && !Hello.RUNTIME_V3.equals(version)) {
        throw new IllegalArgumentException("unknown runtime version " + version);
      }
      this.runtimeVersion = version;
      return this;
    }

    /**
     * Keeps the flash in {@code file} (a raw image of the whole flash, created blank when new or
     * empty) instead of memory, so that a new emulator on the same file boots what this one left:
     * restarting an emulator process is then a reboot, not a new chip. A model given to {@link
     * #activeModel} is only programmed into a blank flash. {@link #build()} fails with an {@link
     * UncheckedIOException} when the file holds another chip's flash or another emulator has it
     * open.
     */
    public Builder flashFile(Path file) {
      this.flashFile = Objects.requireNonNull(file, "file");
      return this;
    }

    private record Provisioned(String name, String version, byte[] tflite) {}

    /** The scenario of inputs no scenario was set for; default CLEAN. */
    public Builder defaultScenario(SensorScenario scenario) {
      this.defaultScenario = Objects.requireNonNull(scenario, "scenario");
      return this;
    }

    /** A monotonic millisecond clock for the uptime; default {@link System#nanoTime()}. */
    public Builder clock(LongSupplier millis) {
      this.clock = Objects.requireNonNull(millis, "millis");
      return this;
    }

    /**
     * A battery at {@code percent} that changes by {@code percentPerMinute} (negative: draining);
     * default none (mains powered).
     */
    public Builder battery(double percent, double percentPerMinute) {
      vitals.add(v -> v.battery(percent, percentPerMinute));
      return this;
    }

    /**
     * The link figure: RSSI in dBm for an ESP32, frame error rate in per mille for an STM32;
     * default none reported.
     */
    public Builder link(int figure) {
      vitals.add(v -> v.link(figure));
      return this;
    }

    public DeviceEmulator build() {
      return new DeviceEmulator(this);
    }
  }
}
