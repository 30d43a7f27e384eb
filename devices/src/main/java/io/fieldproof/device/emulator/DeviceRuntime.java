package io.fieldproof.device.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fieldproof.device.emulator.flash.ModelSlots;
import io.fieldproof.device.emulator.flash.PowerLossException;
import io.fieldproof.device.protocol.CaptureMessages;
import io.fieldproof.device.protocol.ConfigApplied;
import io.fieldproof.device.protocol.DroppedFrames;
import io.fieldproof.device.protocol.ErrorBody;
import io.fieldproof.device.protocol.ErrorCode;
import io.fieldproof.device.protocol.Frame;
import io.fieldproof.device.protocol.FrameException;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.MalformedBodyException;
import io.fieldproof.device.protocol.MessageCodec;
import io.fieldproof.device.protocol.MessageType;
import io.fieldproof.device.protocol.ModelRef;
import io.fieldproof.device.protocol.SlotTable;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.device.protocol.Telemetry;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.runtime.CaptureRing;
import io.fieldproof.device.runtime.DeviceRuntimeEngine;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The emulated firmware of one device at the message level: answers requests and produces
 * telemetry. Owns the identity, applied configuration (kept across resets, as in NVS), sensors and
 * counters, and serves the slot commands on the device's {@link ModelSlots}. The model it runs is
 * the one the slots boot. A power cut during a flash write reboots it: the request gets no answer.
 * While the chip sits in its ROM bootloader the runtime is halted and answers nothing. Knows
 * nothing of bytes on a line beyond the shared dropped-frame counter it reports. Thread-safe.
 */
final class DeviceRuntime {

  private final DeviceIdentity identity;
  private final ModelSlots slots;
  private final SlotCommands slotCommands;
  private final String runtimeVersion;
  private final LongSupplier clock;
  private long bootMillis;
  private final DroppedFrames inboundDropped;
  private final SensorBank sensors;
  private final RuntimeCounters counters = new RuntimeCounters();
  private long appliedGeneration;
  private JsonNode config;
  private DeviceRuntimeEngine engine;
  private boolean halted;
  private long resets;
  private long readings;
  private long telemetryFrames;
  private final SimulatedVitals vitals;

  DeviceRuntime(
      DeviceIdentity identity,
      ModelSlots slots,
      String runtimeVersion,
      SensorBank sensors,
      LongSupplier clock,
      DroppedFrames inboundDropped,
      SimulatedVitals vitals) {
    this.identity = identity;
    this.slots = slots;
    this.runtimeVersion = runtimeVersion;
    this.slotCommands = new SlotCommands(slots, RuntimeEngines.profile(identity.chip()));
    this.sensors = sensors;
    this.clock = clock;
    this.bootMillis = clock.getAsLong();
    this.inboundDropped = inboundDropped;
    this.vitals = vitals;
  }

  /** The response to a received frame; empty when the frame needs none (a stray response). */
  synchronized Optional<Frame> handle(Frame frame) {
    if (halted) {
      return Optional.empty();
    }
    if (frame.isResponse()) {
      counters.increment(RuntimeCounters.UNEXPECTED_FRAMES);
      return Optional.empty();
    }
    counters.increment(RuntimeCounters.REQUESTS);
    try {
      return Optional.of(Frame.response(frame, answer(frame)));
    } catch (PowerLossException e) {
      reboot();
      return Optional.empty();
    } catch (RequestRefusedException e) {
      counters.increment(RuntimeCounters.ERROR_RESPONSES);
      return Optional.of(
          Frame.error(frame, MessageCodec.write(ErrorBody.of(e.code(), e.getMessage()))));
    }
  }

  /** Takes one reading of every sensor as a TELEMETRY frame; empty while no input is configured. */
  synchronized Optional<Frame> telemetry() {
    if (halted || sensors.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Double> values = sensors.read();
    long present = values.values().stream().filter(value -> value != null).count();
    readings += present;
    if (engine != null) {
      engine.step(values, uptimeMs());
    } else {
      counters.add(RuntimeCounters.SENSOR_DROPOUTS, values.size() - present);
    }
    telemetryFrames++;
    Telemetry telemetry = new Telemetry(telemetryFrames, uptimeMs(), values);
    return Optional.of(
        Frame.unsolicited(MessageType.TELEMETRY.code(), MessageCodec.write(telemetry)));
  }

  synchronized void setScenario(String input, SensorScenario scenario) {
    sensors.setScenario(input, scenario);
  }

  synchronized SensorScenario scenario(String input) {
    return sensors.scenario(input);
  }

  synchronized void holdReading(String input, Double value) {
    sensors.hold(input, value);
  }

  synchronized void releaseReading(String input) {
    sensors.release(input);
  }

  synchronized Map<String, Optional<Double>> heldReadings() {
    return sensors.held();
  }

  synchronized long appliedGeneration() {
    return appliedGeneration;
  }

  synchronized Optional<JsonNode> config() {
    return Optional.ofNullable(config).map(JsonNode::deepCopy);
  }

  synchronized Stats stats() {
    Map<String, Long> named = counters.snapshot();
    if (engine != null) {
      named.putAll(engine.health().counters());
      engine.capture().ifPresent(ring -> ring.counters(named));
    }
    inboundDropped
        .byReason()
        .forEach((reason, count) -> named.put(droppedCounterName(reason), count));
    named.put("resets", resets);
    named.putAll(vitals.counters());
    return new Stats(
        uptimeMs(), appliedGeneration, readings, telemetryFrames, inboundDropped.total(), named);
  }

  synchronized Hello hello() {
    return new Hello(
        identity.deviceId(),
        identity.chip().wireName(),
        identity.firmware(),
        runtimeVersion,
        identity.chip().capabilities(),
        slotTable());
  }

  synchronized void skewSelfTests(int delta) {
    slotCommands.skewSelfTests(delta);
  }

  /** The chip was reset into its ROM bootloader: the firmware stops. */
  synchronized void halt() {
    halted = true;
  }

  /** The chip resets and boots its firmware: the boot rules choose the model. */
  synchronized void reboot() {
    resets++;
    bootMillis = clock.getAsLong();
    halted = false;
    slotCommands.reset();
    bootThroughPowerCuts();
    reloadModel();
  }

  /** Runs the boot rules; a power cut while they write a record just means booting again. */
  private void bootThroughPowerCuts() {
    for (int attempt = 0; ; attempt++) {
      try {
        slots.boot();
        return;
      } catch (PowerLossException e) {
        if (attempt > 3) {
          throw e;
        }
      }
    }
  }

  synchronized boolean halted() {
    return halted;
  }

  /** Resets since the emulator started. */
  synchronized long resets() {
    return resets;
  }

  private SlotTable slotTable() {
    String active = slots.activeSlot().map(ModelSlots::name).orElse(null);
    String state =
        slots.activeSlot().flatMap(slots::record).map(record -> record.state().name()).orElse(null);
    String otherState =
        slots
            .activeSlot()
            .flatMap(slot -> slots.record(1 - slot))
            .map(record -> record.state().name())
            .orElse(null);
    return new SlotTable(
        active, slotModel(ModelSlots.A), slotModel(ModelSlots.B), state, otherState);
  }

  private ModelRef slotModel(int slot) {
    return slots
        .record(slot)
        .map(
            (SlotRecord record) ->
                new ModelRef(record.name(), record.version(), record.sha256Hex(), record.length()))
        .orElse(null);
  }

  private void reloadModel() {
    if (config != null) {
      engine = engineFor(config);
    }
  }

  private byte[] answer(Frame request) throws RequestRefusedException {
    MessageType type =
        MessageType.fromCode(request.type())
            .orElseThrow(
                () ->
                    new RequestRefusedException(
                        ErrorCode.UNKNOWN_TYPE,
                        String.format("unknown message type 0x%02x", request.type())));
    if (type.since() > Hello.protocolVersion(runtimeVersion)) {
      throw new RequestRefusedException(
          ErrorCode.NOT_SUPPORTED, type + " is not supported by " + runtimeVersion);
    }
    return switch (type) {
      case HELLO -> {
        requireObjectOrEmpty(request.body());
        yield MessageCodec.write(hello());
      }
      case STATS -> {
        requireObjectOrEmpty(request.body());
        yield MessageCodec.write(stats());
      }
      case CONFIG -> MessageCodec.write(configure(request.body()));
      case SLOT_WRITE -> slotCommands.write(request.body());
      case SLOT_DIGEST -> slotCommands.digest(request.body());
      case SELFTEST -> slotCommands.selfTest(request.body());
      case ACTIVATE -> {
        slotCommands.activate(request.body());
        reloadModel();
        yield MessageCodec.write(slotTable());
      }
      case CONFIRM -> {
        requireObjectOrEmpty(request.body());
        slotCommands.confirm();
        yield MessageCodec.write(slotTable());
      }
      case REVERT -> {
        requireObjectOrEmpty(request.body());
        slotCommands.revert();
        reloadModel();
        yield MessageCodec.write(slotTable());
      }
      case CAPTURE -> MessageCodec.write(capture(request.body()));
      default ->
          throw new RequestRefusedException(
              ErrorCode.UNKNOWN_TYPE, type + " is sent by devices, not to them");
    };
  }

  /** CAPTURE: a page of the frozen window, or its release (docs/device-protocol.md §4.6). */
  private CaptureMessages.Page capture(byte[] body) throws RequestRefusedException {
    JsonNode request = body.length == 0 ? JsonNodeFactory.instance.objectNode() : parseObject(body);
    JsonNode from = request.get("from");
    JsonNode release = request.get("release");
    if ((from != null
            && !from.isNull()
            && (!from.isIntegralNumber() || !from.canConvertToInt() || from.asInt() < 0))
        || (release != null
            && !release.isNull()
            && (!release.isIntegralNumber() || release.asLong() < 1))) {
      throw new RequestRefusedException(
          ErrorCode.MALFORMED_BODY, "from and release must be integers of at least 0 and 1");
    }
    Optional<CaptureRing> ring = engine == null ? Optional.empty() : engine.capture();
    if (release != null && !release.isNull()) {
      if (ring.isEmpty() || !ring.get().release(release.asLong())) {
        throw new RequestRefusedException(
            ErrorCode.WRONG_STATE, "no captured window " + release.asLong() + " to release");
      }
      return CaptureMessages.Page.released(release.asLong());
    }
    int start = from == null || from.isNull() ? 0 : from.asInt();
    return ring.map(r -> r.page(start, uptimeMs())).orElse(CaptureMessages.Page.none());
  }

  private ConfigApplied configure(byte[] body) throws RequestRefusedException {
    JsonNode request = parseObject(body);
    JsonNode generation = request.get("generation");
    if (generation == null
        || !generation.isIntegralNumber()
        || !generation.canConvertToLong()
        || generation.asLong() < 1) {
      throw new RequestRefusedException(
          ErrorCode.MALFORMED_BODY, "generation must be an integer of at least 1");
    }
    if (!request.hasNonNull("config")) {
      throw new RequestRefusedException(ErrorCode.MALFORMED_BODY, "config is missing");
    }
    if (generation.asLong() != appliedGeneration) {
      apply(generation.asLong(), request.get("config"));
    }
    return new ConfigApplied(appliedGeneration);
  }

  private void apply(long generation, JsonNode newConfig) throws RequestRefusedException {
    List<SensorInput> inputs;
    try {
      inputs = RuntimeConfigValidator.inputs(newConfig);
    } catch (InvalidConfigException e) {
      counters.increment(RuntimeCounters.CONFIGS_REJECTED);
      throw new RequestRefusedException(ErrorCode.INVALID_CONFIG, e.getMessage());
    }
    sensors.configure(inputs);
    engine = engineFor(newConfig);
    config = newConfig;
    appliedGeneration = generation;
    counters.increment(RuntimeCounters.CONFIGS_APPLIED);
  }

  /**
   * The runtime for {@code runtimeConfig}, its captures seeded with the device id. A firmware older
   * than protocol v3 knows no capture: it ignores the config's, as any unknown field.
   */
  private DeviceRuntimeEngine engineFor(JsonNode runtimeConfig) {
    JsonNode known = runtimeConfig;
    if (Hello.protocolVersion(runtimeVersion) < MessageType.CAPTURE.since()
        && runtimeConfig.has("capture")) {
      known = runtimeConfig.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) known).remove("capture");
    }
    DeviceRuntimeEngine built =
        RuntimeEngines.forConfig(known, identity.chip(), slots.activeModel().orElse(null))
            .orElse(null);
    if (built != null) {
      built.captureSeed(identity.deviceId());
    }
    return built;
  }

  private static void requireObjectOrEmpty(byte[] body) throws RequestRefusedException {
    if (body.length > 0) {
      parseObject(body);
    }
  }

  private static JsonNode parseObject(byte[] body) throws RequestRefusedException {
    JsonNode node;
    try {
      node = MessageCodec.readTree(body);
    } catch (MalformedBodyException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      throw new RequestRefusedException(ErrorCode.MALFORMED_BODY, "body must be a JSON object");
    }
    return node;
  }

  private long uptimeMs() {
    return clock.getAsLong() - bootMillis;
  }

  private static String droppedCounterName(FrameException.Reason reason) {
    String[] words = reason.name().toLowerCase(Locale.ROOT).split("_");
    StringBuilder name = new StringBuilder("framesDropped");
    for (String word : words) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }
}
