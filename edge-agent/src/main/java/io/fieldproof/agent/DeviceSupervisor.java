package io.fieldproof.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fieldproof.agent.capture.CaptureCollector;
import io.fieldproof.agent.capture.CaptureReader;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.link.DeviceLink;
import io.fieldproof.agent.link.DeviceLinkException;
import io.fieldproof.agent.state.DeviceRecord;
import io.fieldproof.agent.state.DurableState;
import io.fieldproof.agent.update.UpdatePhase;
import io.fieldproof.agent.update.UpdateRequest;
import io.fieldproof.agent.update.UpdateResult;
import io.fieldproof.agent.update.UpdateTarget;
import io.fieldproof.device.protocol.Hello;
import io.fieldproof.device.protocol.Stats;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.Grammar;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.mqtt.ReconnectBackoff;
import io.fieldproof.protocol.signing.Refusal;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after one attached device: keeps its link up, learns its identity, applies the desired
 * runtime config, reads its health and reports it. The device's word wins over the agent's memory:
 * when its STATS show that it booted or runs another config generation than the agent applied, the
 * supervisor asks it again what it runs, reports that, and puts the desired config (and a model it
 * lost) back at once. Everything for one device runs in order on its own serial executor, so a slow
 * device never blocks another.
 */
final class DeviceSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceSupervisor.class);

  private final AgentConfig.Device config;
  private final String gateway;
  private final DurableState state;
  private final DeviceLinkOpener opener;
  private final AgentChannel channel;
  private final AgentEvents events;
  private final Executor serial;

  /**
   * At most this many refusals per {@link #REFUSAL_WINDOW} are logged, raised as events and
   * reported; further ones are only counted (by the drop counter), so a flood of bad desired states
   * does not become a flood of events, reports and log lines.
   */
  static final int REFUSALS_RAISED = 10;

  static final Duration REFUSAL_WINDOW = Duration.ofMinutes(1);

  private final ScheduledExecutorService scheduler;
  private final ReconnectBackoff backoff;

  private final DeviceUpdates updates;
  private final CaptureCollector captures;
  private boolean captureSupported;
  private DeviceLink link;
  private volatile DesiredState desired;
  private String configError;
  private String refusal;
  private final RaiseBudget refusalsRaised = new RaiseBudget(REFUSALS_RAISED, REFUSAL_WINDOW);
  private final DeviceUpdateState update = new DeviceUpdateState();
  private final RebootWatch reboots = new RebootWatch();
  private boolean reapplying;
  private Health lastHealth;
  private boolean unreachableReported;
  private boolean reconnectScheduled;
  private final ReportCadence cadence;

  DeviceSupervisor(
      AgentConfig.Device config,
      String gateway,
      DurableState state,
      DeviceLinkOpener opener,
      AgentChannel channel,
      AgentEvents events,
      Executor pool,
      ScheduledExecutorService scheduler,
      DeviceUpdates updates,
      Duration tick,
      CaptureCollector captures) {
    this.config = config;
    this.captures = captures;
    this.cadence = new ReportCadence(tick);
    this.updates = updates;
    this.gateway = gateway;
    this.state = state;
    this.opener = opener;
    this.channel = channel;
    this.events = events;
    this.serial = new SerialExecutor(pool);
    this.scheduler = scheduler;
    this.backoff =
        new ReconnectBackoff(
            Duration.ofMillis(200),
            Duration.ofSeconds(30),
            () -> ThreadLocalRandom.current().nextDouble());
  }

  void start() {
    serial.execute(this::connect);
  }

  /** The device's id as last known (from this run or from disk), if it ever answered. */
  Optional<String> deviceId() {
    return state.device(config.link()).map(DeviceRecord::id);
  }

  /** The device as the gateway's birth lists it, if its identity is known. */
  Optional<DeviceInfo> inventory() {
    return state.device(config.link()).map(this::describe);
  }

  /**
   * The sha256 of every model this device holds in a slot or is told to run: the models the store
   * must keep.
   */
  java.util.Set<String> modelsInUse() {
    java.util.Set<String> shas = new java.util.HashSet<>();
    state
        .device(config.link())
        .map(DeviceRecord::slots)
        .ifPresent(
            slots -> {
              if (slots.a() != null) {
                shas.add(slots.a().sha256());
              }
              if (slots.b() != null) {
                shas.add(slots.b().sha256());
              }
            });
    DesiredState wanted = desired;
    if (wanted != null && wanted.model() != null) {
      shas.add(wanted.model().sha256());
    }
    return shas;
  }

  void desired(DesiredState next) {
    serial.execute(
        () -> {
          refusal = null;
          applyDesired(next);
        });
  }

  /**
   * A desired state the agent refused (unsigned, badly signed, not for this device): the device and
   * the desired state in force are left as they are, the refusal is raised and reported.
   */
  void refused(Refusal why) {
    serial.execute(
        () -> {
          String device = deviceId().orElse(config.link());
          refusal = why.toString();
          if (!refusalsRaised.tryTake(System.nanoTime())) {
            return;
          }
          LOG.warn("{}: refused a desired state: {}", device, why);
          channel.raise(events.event(device, "desired", why.reason().code(), why.message()));
          report();
        });
  }

  void retracted() {
    serial.execute(
        () -> {
          desired = null;
          LOG.info(
              "{}: desired state retracted; the device keeps its current config",
              deviceId().orElse(config.link()));
          report();
        });
  }

  /**
   * The agent's periodic look: reads the device and publishes its report when the group's telemetry
   * interval has passed or something other than its health changed.
   */
  void reportNow() {
    serial.execute(() -> report(false));
  }

  void close() {
    serial.execute(
        () -> {
          if (link != null) {
            link.close();
            link = null;
          }
        });
  }

  private void connect() {
    reconnectScheduled = false;
    if (link != null) {
      return;
    }
    try {
      DeviceLink opened = opener.open(config.link());
      Hello hello = opened.hello();
      link = opened;
      learn(hello);
      observe();
      backoff.reset();
      if (unreachableReported) {
        channel.raise(
            events.event(
                hello.deviceId(),
                "link",
                "LinkRestored",
                "the device answers again on " + config.link()));
        unreachableReported = false;
      }
      if (desired != null) {
        applyDesired(desired);
      }
      report();
    } catch (IOException | RuntimeException e) {
      unreachable(e);
    }
  }

  private void learn(Hello hello) {
    captureSupported = hello.supportsCapture();
    Optional<DeviceRecord> known = state.device(config.link());
    if (config.chip() != null && !config.chip().equals(hello.chip())) {
      LOG.warn(
          "{} answers as a {} but the gateway config says {}",
          config.link(),
          hello.chip(),
          config.chip());
    }
    DeviceRecord record =
        new DeviceRecord(
            config.link(),
            hello.deviceId(),
            hello.chip(),
            hello.firmware(),
            LinkMapping.capabilities(hello),
            known
                .filter(k -> k.id().equals(hello.deviceId()))
                .map(DeviceRecord::appliedGeneration)
                .orElse(0L),
            known
                .filter(k -> k.id().equals(hello.deviceId()))
                .map(DeviceRecord::appliedConfigSha256)
                .orElse(null),
            LinkMapping.slots(hello));
    if (!known.equals(Optional.of(record))) {
      state.put(record);
      if (known.isEmpty() || !sameInventory(known.get(), record)) {
        channel.inventoryChanged();
      }
    }
  }

  /**
   * Whether the birth lists the device the same for both records: its id, chip, firmware and
   * capabilities (the labels come from the gateway's config). Slots and the applied generation are
   * reported, not announced, so a device that finished an update needs no new birth: a birth lists
   * every device of the gateway, and one per update made each update cost the gateway's size.
   */
  private static boolean sameInventory(DeviceRecord a, DeviceRecord b) {
    return a.id().equals(b.id())
        && java.util.Objects.equals(a.chip(), b.chip())
        && java.util.Objects.equals(a.firmware(), b.firmware())
        && java.util.Objects.equals(a.capabilities(), b.capabilities());
  }

  private void applyDesired(DesiredState next) {
    desired = next;
    Optional<DeviceRecord> record = state.device(config.link());
    if (link == null || record.isEmpty()) {
      return;
    }
    String digest = sha256(next.config());
    if (record.get().appliedGeneration() == next.generation()
        && digest.equals(record.get().appliedConfigSha256())) {
      startUpdateIfWanted(next, record.get());
      report();
      return;
    }
    try {
      JsonNode body = MessageCodec.mapper().valueToTree(next.config());
      long applied = link.configure(next.generation(), body);
      state.put(record.get().withApplied(applied, digest));
      configError = null;
      channel.raise(
          events.event(
              record.get().id(),
              "config",
              "ConfigApplied",
              "generation " + applied + " of group " + next.group()));
    } catch (DeviceLinkException e) {
      if (e.failure() != DeviceLinkException.Failure.DEVICE_ERROR) {
        unreachable(e);
        return;
      }
      configError = e.getMessage();
      channel.raise(events.event(record.get().id(), "config", "ConfigRejected", e.getMessage()));
    } catch (IllegalArgumentException e) {
      // too large for one frame of the link: the device keeps its config
      configError = e.getMessage();
      channel.raise(events.event(record.get().id(), "config", "ConfigRejected", e.getMessage()));
    } catch (IOException e) {
      unreachable(e);
      return;
    }
    startUpdateIfWanted(next, record.get());
    report();
  }

  /** Starts the model update the desired state asks for, if the device needs one. */
  private void startUpdateIfWanted(DesiredState next, DeviceRecord record) {
    if (updates == null || link == null) {
      return;
    }
    Optional<UpdateRequest> request = update.wanted(next, record);
    if (request.isEmpty()) {
      return;
    }
    ModelRef wanted = next.model();
    if (update.lostConfirmed(next, record)) {
      channel.raise(events.modelLost(record.id(), record.slots(), wanted));
    }
    update.started(next);
    UpdateTarget target =
        new UpdateTarget(link, record.chip(), capabilitiesOf(record), config.bootloader());
    LOG.info("{}: updating to {} {}", record.id(), wanted.name(), wanted.version());
    updates.start(
        config.link(),
        target,
        request.get(),
        (phase, detail) -> serial.execute(() -> updatePhase(record.id(), phase, detail)),
        result -> serial.execute(() -> updateEnded(record.id(), wanted, result)));
  }

  private void updatePhase(String id, UpdatePhase phase, String detail) {
    if (update.phase(phase)) {
      LOG.debug("{}: update {}: {}", id, phase, detail);
      report();
    }
  }

  private void updateEnded(String id, ModelRef model, UpdateResult result) {
    update.ended(result);
    channel.raise(
        events.event(
            id,
            "update",
            DeviceUpdateState.eventReason(result),
            DeviceUpdateState.eventMessage(model, result)));
    reboots.forget();
    if (link != null) {
      try {
        learn(link.hello());
      } catch (IOException e) {
        unreachable(e);
        return;
      }
    }
    if (desired != null) {
      applyDesired(desired);
    } else {
      report();
    }
  }

  private static io.fieldproof.device.protocol.Capabilities capabilitiesOf(DeviceRecord record) {
    Capabilities c = record.capabilities();
    return new io.fieldproof.device.protocol.Capabilities(
        c.operators(), c.arenaBytes(), c.slotBytes());
  }

  private void report() {
    report(true);
  }

  private void report(boolean prompted) {
    if (state.device(config.link()).isEmpty()) {
      return;
    }
    if (link != null && !update.running()) {
      try {
        if (observe() && !reapplying) {
          serial.execute(this::reapply);
        }
      } catch (IOException e) {
        unreachable(e);
        return;
      }
    }
    DeviceRecord record = state.device(config.link()).orElseThrow();
    ReportedState.Link linkState =
        link == null ? ReportedState.Link.UNREACHABLE : ReportedState.Link.CONNECTED;
    ReportedState next =
        new ReportedState(
            Message.VERSION,
            record.id(),
            gateway,
            linkState,
            record.appliedGeneration(),
            refusal != null ? refusal : configError,
            record.slots(),
            update.phase(),
            update.lastError(),
            lastHealth,
            update.attempted());
    long now = System.nanoTime();
    if (prompted || cadence.due(next, groupReportInterval(), now)) {
      cadence.sent(next, now);
      channel.report(next);
    }
  }

  /** The telemetry interval the desired config gives, if any. */
  private Integer groupReportInterval() {
    DesiredState wanted = desired;
    return wanted == null || wanted.config() == null
        ? null
        : wanted.config().reportIntervalSeconds();
  }

  /**
   * Reads the device's STATS (its health) and checks that it still runs what the agent applied.
   * When it booted since the last look or runs another config generation, the device's word
   * replaces the agent's memory: its slots from a new HELLO, its generation from STATS.
   *
   * @return true when the device lost what the agent applied: the desired state must go back on
   */
  private boolean observe() throws IOException {
    Stats stats = link.stats();
    DeviceRecord known = state.device(config.link()).orElseThrow();
    lastHealth = LinkMapping.health(stats, captureCounts(known));
    // without a desired state (an agent just restarted) the window waits: its input names are
    // the config's
    if (captureSupported
        && captures != null
        && desired != null
        && stats.counter("capturePending") > 0) {
      collectCapture(known);
      lastHealth = LinkMapping.health(stats, captureCounts(known));
    }
    Optional<String> booted = reboots.booted(stats);
    long running = stats.configGeneration();
    if (booted.isEmpty() && running == known.appliedGeneration()) {
      return false;
    }
    booted.ifPresent(how -> channel.raise(events.deviceRebooted(known.id(), how, running)));
    if (running != known.appliedGeneration() && known.appliedGeneration() > 0) {
      LOG.info(
          "{}: runs config generation {}, not {}", known.id(), running, known.appliedGeneration());
      channel.raise(events.configLost(known.id(), running, known.appliedGeneration()));
    }
    learn(link.hello());
    DeviceRecord record = state.device(config.link()).orElseThrow();
    String digest = running == known.appliedGeneration() ? known.appliedConfigSha256() : null;
    state.put(record.withApplied(running, digest));
    return true;
  }

  /** What the agent did with the device's captured windows, or null when nothing counts them. */
  private io.fieldproof.agent.capture.DeviceCaptureCounts captureCounts(DeviceRecord known) {
    return captures == null ? null : captures.counts(known.id());
  }

  /**
   * Reads the window the device froze and hands it to the capture sink. A window the device sent
   * out of bounds, or one it refused to give, is dropped (logged); a lost link surfaces as usual.
   */
  private void collectCapture(DeviceRecord known) throws IOException {
    ModelRef running = known.slots() == null ? null : known.slots().activeModel();
    try {
      captures
          .collect(
              link,
              new CaptureCollector.DeviceContext(
                  known.id(),
                  known.chip(),
                  running == null ? null : running.sha256(),
                  known.appliedGeneration(),
                  desired))
          .ifPresent(
              w ->
                  LOG.debug(
                      "{}: captured a {} window of {} bytes",
                      known.id(),
                      w.trigger(),
                      w.body().length));
    } catch (CaptureReader.InvalidWindowException e) {
      LOG.warn("{}: dropped a captured window: {}", known.id(), e.getMessage());
    } catch (DeviceLinkException e) {
      if (e.failure() != DeviceLinkException.Failure.DEVICE_ERROR) {
        throw e;
      }
      LOG.warn("{}: CAPTURE refused: {}", known.id(), e.getMessage());
    }
  }

  /** Puts the desired state back on a device that lost it. */
  private void reapply() {
    if (desired == null || link == null) {
      return;
    }
    reapplying = true;
    try {
      applyDesired(desired);
    } finally {
      reapplying = false;
    }
  }

  private void unreachable(Exception cause) {
    if (update.running()) {
      return;
    }
    if (link != null) {
      link.close();
      link = null;
    }
    String id = deviceId().orElse(null);
    if (!unreachableReported) {
      unreachableReported = true;
      LOG.warn("{} unreachable: {}", config.link(), cause.getMessage());
      if (id != null) {
        channel.raise(
            events.event(id, "link", "LinkLost", config.link() + ": " + cause.getMessage()));
        report();
      }
    }
    if (!reconnectScheduled) {
      reconnectScheduled = true;
      long delay = backoff.nextDelay().toMillis();
      scheduler.schedule(() -> serial.execute(this::connect), delay, TimeUnit.MILLISECONDS);
    }
  }

  private DeviceInfo describe(DeviceRecord record) {
    // the reserved fieldproof.io/ labels are the operator's to set, from the topic and the chip
    Map<String, String> labels = new LinkedHashMap<>(config.labels());
    labels.keySet().removeIf(Grammar::reserved);
    return new DeviceInfo(
        record.id(), record.chip(), record.firmware(), record.capabilities(), labels);
  }

  private static String sha256(Object config) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(MessageCodec.encode(config)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
