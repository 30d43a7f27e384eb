package io.fieldproof.agent;

import io.fieldproof.agent.capture.CaptureCollector;
import io.fieldproof.agent.capture.CaptureSink;
import io.fieldproof.agent.capture.CaptureUpload;
import io.fieldproof.agent.capture.DroppingCaptureSink;
import io.fieldproof.agent.config.AgentConfig;
import io.fieldproof.agent.flash.ChipBootloaders;
import io.fieldproof.agent.state.DurableState;
import io.fieldproof.agent.state.EventSpool;
import io.fieldproof.agent.store.ContentStore;
import io.fieldproof.agent.transfer.ModelFetcher;
import io.fieldproof.agent.update.BootloaderConnector;
import io.fieldproof.agent.update.FetchedModelSource;
import io.fieldproof.agent.update.ModelUpdater;
import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.protocol.mqtt.SessionListener;
import io.fieldproof.protocol.mqtt.Will;
import io.fieldproof.protocol.signing.Refusal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's agent: an MQTT session with a birth and a last will, one supervisor per attached
 * device, durable state and an event spool on disk. It applies what the operator desires and
 * reports what it observes.
 */
public final class EdgeAgent implements AutoCloseable {

  public static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);

  /** Bytes of models the gateway keeps on disk at most. */
  private static final long MODEL_STORE_BYTES = 64L * 1024 * 1024;

  private final AgentConfig config;
  private final DurableState state;
  private final EventSpool spool;
  private final DropCounter drops = new DropCounter();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService pool;
  private final List<DeviceSupervisor> supervisors;
  private final Map<String, DeviceSupervisor> byDeviceId = new ConcurrentHashMap<>();
  private final Map<String, ReportedState> unsentReports = new ConcurrentHashMap<>();
  private final MqttSession session;
  private final ContentStore store;
  private final ModelFetcher fetcher;
  private final DeviceUpdates updates;
  private final SignatureCheck signatures;

  /** The spool and uploader of captured windows; null without a captureStore in the config. */
  private final CaptureUpload captureUpload;

  private volatile long sessionSeq;

  /**
   * The devices a birth of this session listed when it went out: a device's reports wait until one
   * did, since the operator drops a report of a device no birth announced.
   */
  private final java.util.Set<String> announced = ConcurrentHashMap.newKeySet();

  private CompletableFuture<Void> lastBirth = CompletableFuture.completedFuture(null);

  /** How often writes the state folder refused are tried again. */
  private static final Duration RETRY_STATE_WRITES = Duration.ofSeconds(5);

  /** How long a birth waits for the one before it to reach the broker. */
  private static final Duration BIRTH_ORDER_WAIT = Duration.ofSeconds(5);

  private final java.util.concurrent.atomic.AtomicBoolean stopped =
      new java.util.concurrent.atomic.AtomicBoolean();

  public EdgeAgent(AgentConfig config, DeviceLinkOpener opener, Clock clock) throws IOException {
    this(config, opener, clock, ChipBootloaders.defaults());
  }

  /** An agent that reaches bootloaders through {@code bootloaders}. */
  public EdgeAgent(
      AgentConfig config, DeviceLinkOpener opener, Clock clock, BootloaderConnector bootloaders)
      throws IOException {
    this(config, opener, clock, bootloaders, null);
  }

  /**
   * An agent that hands the windows its devices capture to {@code captureSink}
   * (docs/field-data.md); null for the one its config gives: the spool that uploads to the capture
   * store it names, or, without a store, a sink that drops and counts.
   */
  public EdgeAgent(
      AgentConfig config,
      DeviceLinkOpener opener,
      Clock clock,
      BootloaderConnector bootloaders,
      CaptureSink captureSink)
      throws IOException {
    this.config = config;
    this.signatures = SignatureCheck.of(config.trust());
    this.state = DurableState.open(config.stateDir(), clock);
    this.spool = EventSpool.open(config.stateDir().resolve("spool"), config.maxSpooledEvents());
    this.scheduler =
        Executors.newScheduledThreadPool(2, daemon("agent-" + config.gateway() + "-timer"));
    this.pool = Executors.newFixedThreadPool(4, daemon("agent-" + config.gateway() + "-devices"));
    AgentEvents events = new AgentEvents(config.gateway(), clock);
    Channel channel = new Channel();
    this.session = new MqttSession(settings(config), this::nextWill, new Listener(), scheduler);
    this.store = ContentStore.open(config.stateDir(), MODEL_STORE_BYTES);
    this.captureUpload =
        config.captureStore() == null
            ? null
            : CaptureUpload.start(
                config.captureStore(),
                config.namespace(),
                config.gateway(),
                config.stateDir(),
                clock);
    this.fetcher =
        new ModelFetcher(
            session, config.namespace(), store, drops, ModelFetcher.DEFAULT_STALL_TIMEOUT);
    this.updates =
        new DeviceUpdates(
            new ModelUpdater(
                new FetchedModelSource(fetcher), bootloaders, ModelUpdater.Settings.defaults()),
            DeviceUpdates.poolFor(
                config.devices().stream().map(AgentConfig.Device::link).toList(),
                daemon("agent-" + config.gateway() + "-updates")),
            this::collectGarbage);
    CaptureSink sink =
        captureSink != null
            ? captureSink
            : captureUpload != null ? captureUpload.sink() : new DroppingCaptureSink();
    CaptureCollector captures = new CaptureCollector(config.gateway(), sink, clock);
    this.supervisors =
        config.devices().stream()
            .map(
                d ->
                    new DeviceSupervisor(
                        d,
                        config.gateway(),
                        state,
                        opener,
                        channel,
                        events,
                        pool,
                        scheduler,
                        updates,
                        config.reportInterval(),
                        captures))
            .toList();
  }

  /** Deletes stored models no device runs, holds in its other slot, or is told to run. */
  private void collectGarbage() {
    java.util.Set<String> keep = new java.util.HashSet<>();
    supervisors.forEach(s -> keep.addAll(s.modelsInUse()));
    try {
      store.retainOnly(keep);
    } catch (IOException e) {
      LOG.warn("model store garbage collection failed: {}", e.toString());
    }
  }

  /** Connects to the devices and the broker, and starts the periodic health reports. */
  public void start() {
    signatures.logAtStart();
    supervisors.forEach(DeviceSupervisor::start);
    session.start();
    long period = config.reportInterval().toMillis();
    scheduler.scheduleAtFixedRate(
        () -> supervisors.forEach(DeviceSupervisor::reportNow),
        period,
        period,
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        this::retryStateWrites,
        RETRY_STATE_WRITES.toMillis(),
        RETRY_STATE_WRITES.toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.info(
        "agent {} for namespace {} started with {} devices, broker {}",
        config.gateway(),
        config.namespace(),
        supervisors.size(),
        config.broker());
  }

  public DropCounter drops() {
    return drops;
  }

  /**
   * The upload of captured windows (its {@link CaptureUpload#sink()} is where they go), or empty
   * when the config names no captureStore.
   */
  public Optional<CaptureUpload> captureUpload() {
    return Optional.ofNullable(captureUpload);
  }

  public long spooledEvents() {
    return spool.size();
  }

  public long droppedEvents() {
    return spool.dropped();
  }

  /** Writes to the state folder that failed (a full disk, a read-only folder) since the start. */
  public long stateWriteFailures() {
    return state.writeFailures() + spool.writeFailures();
  }

  /** Writes again what the state folder refused before; a failure never stops the agent. */
  private void retryStateWrites() {
    state.retryWrites();
    spool.retryWrites();
  }

  public boolean isConnected() {
    return session.isConnected();
  }

  /**
   * Leaves as a crashed gateway would: no goodbye, so the broker publishes the will, and the device
   * links drop as a dead process's sockets do.
   */
  public void crash() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    session.dropWithoutGoodbye();
    supervisors.forEach(DeviceSupervisor::close);
    shutdownExecutors();
    spool.close();
    closeCaptureUpload();
  }

  /** Stops cleanly: marks the gateway offline itself (a clean disconnect sends no will). */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (session.isConnected()) {
      try {
        session
            .publish(
                stateTopic(),
                MessageCodec.encode(GatewayState.will(config.gateway(), sessionSeq)),
                true)
            .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("could not publish the offline state: {}", e.toString());
      }
    }
    fetcher.close();
    updates.close();
    session.close();
    supervisors.forEach(DeviceSupervisor::close);
    shutdownExecutors();
    spool.close();
    closeCaptureUpload();
  }

  /** Stops uploading after the devices stopped capturing; waiting windows stay on disk. */
  private void closeCaptureUpload() {
    if (captureUpload != null) {
      captureUpload.close();
    }
  }

  private void shutdownExecutors() {
    scheduler.shutdownNow();
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Will nextWill() {
    sessionSeq = state.nextBirthSeq();
    return new Will(
        stateTopic(), MessageCodec.encode(GatewayState.will(config.gateway(), sessionSeq)));
  }

  private String stateTopic() {
    return Topic.gatewayState(config.namespace(), config.gateway()).path();
  }

  /**
   * Announces the attached devices. Births go out one after another, each after the previous one
   * reached the broker (or a few seconds passed), and each lists the devices known when it is sent:
   * births started from several threads (connect, each device's first HELLO) could otherwise reach
   * the broker out of order and leave an older, shorter list retained.
   */
  private synchronized void publishBirth() {
    lastBirth =
        lastBirth
            .exceptionally(e -> null)
            .completeOnTimeout(null, BIRTH_ORDER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .thenCompose(previous -> sendBirth());
  }

  private CompletableFuture<Void> sendBirth() {
    List<DeviceInfo> devices =
        supervisors.stream().map(DeviceSupervisor::inventory).flatMap(Optional::stream).toList();
    GatewayState birth =
        GatewayState.birth(config.gateway(), sessionSeq, VERSION, devices, spool.dropped());
    CompletableFuture<Void> sent = session.publish(stateTopic(), MessageCodec.encode(birth), true);
    for (DeviceSupervisor supervisor : supervisors) {
      supervisor.deviceId().ifPresent(id -> track(id, supervisor));
    }
    // the birth is on its way: reports published after it, on the same session, arrive after it
    devices.forEach(device -> announced.add(device.id()));
    devices.forEach(device -> sendWaitingReport(device.id()));
    return sent;
  }

  /** Publishes the report of {@code device} that waited for its birth or the broker, if any. */
  private void sendWaitingReport(String device) {
    Optional.ofNullable(unsentReports.remove(device)).ifPresent(new Channel()::report);
  }

  private void track(String deviceId, DeviceSupervisor supervisor) {
    if (byDeviceId.put(deviceId, supervisor) == null) {
      session.subscribe(
          Topic.desired(config.namespace(), config.gateway(), deviceId).path(), this::onDesired);
    }
  }

  private void onDesired(String path, byte[] payload) {
    Optional<Topic> topic = Topic.parse(path);
    DeviceSupervisor supervisor = topic.map(Topic::device).map(byDeviceId::get).orElse(null);
    if (topic.isEmpty() || supervisor == null) {
      drops.dropped(
          path, io.fieldproof.protocol.DropReason.UNKNOWN_DEVICE, "no attached device has this id");
      return;
    }
    if (payload.length == 0) {
      supervisor.retracted();
      return;
    }
    try {
      DesiredState desired = MessageCodec.decodeDesired(topic.get(), payload);
      Optional<Refusal> refusal =
          signatures.check(config.namespace(), topic.get().device(), desired);
      refusal.ifPresentOrElse(r -> refuse(path, supervisor, r), () -> supervisor.desired(desired));
    } catch (InvalidMessageException e) {
      drops.dropped(path, e.reason(), e.getMessage());
      if (e.reason() == io.fieldproof.protocol.DropReason.IDENTITY_MISMATCH) {
        supervisor.refused(new Refusal(Refusal.Reason.MISMATCH, e.getMessage()));
      }
    }
  }

  /** Nothing of a refused desired state reaches the device; the refusal is counted and reported. */
  private void refuse(String path, DeviceSupervisor supervisor, Refusal refusal) {
    drops.dropped(path, refusal.reason().dropReason(), refusal.toString());
    supervisor.refused(refusal);
  }

  private void flushSpool() {
    for (DeviceEvent event : spool.pending()) {
      if (!session.isConnected()) {
        return;
      }
      session
          .publish(
              Topic.events(config.namespace(), config.gateway(), event.device()).path(),
              MessageCodec.encode(event),
              false)
          .thenRun(() -> spool.acknowledge(event));
    }
  }

  private static MqttSettings settings(AgentConfig config) {
    AgentConfig.Broker broker = config.broker();
    return new MqttSettings(
        broker.uri(),
        "fieldproof-agent-" + config.namespace() + "-" + config.gateway(),
        broker.username(),
        broker.password(),
        broker.caFile(),
        broker.clientCertFile(),
        broker.clientKeyFile(),
        broker.verifyHostname(),
        // a clean start on every connect: the spool, the retained births and twins and the
        // re-subscription to the retained desired states carry everything across a lost
        // connection, while a session that Paho 1.2.5 resumes re-sends unacknowledged publishes
        // with a topic alias of the previous connection, which the broker answers with a protocol
        // error, again on every reconnect
        true,
        broker.sessionExpiry(),
        broker.keepAlive(),
        broker.initialReconnectDelay(),
        broker.maxReconnectDelay(),
        // in memory: with a clean start the client's store of in-flight messages is never
        // resumed, and on disk it let a read-only or full state folder stop the session (no
        // client, or failing QoS 1 publishes); the spool is what keeps events
        null,
        broker.maximumPacketSize());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** What supervisors send; reaches MQTT now, or at the next connect. */
  private final class Channel implements AgentChannel {
    @Override
    public void report(ReportedState reported) {
      String topic = Topic.reported(config.namespace(), config.gateway(), reported.device()).path();
      if (!session.isConnected() || !announced.contains(reported.device())) {
        unsentReports.put(reported.device(), reported);
        if (session.isConnected() && announced.contains(reported.device())) {
          // its birth went out meanwhile, after it looked for waiting reports
          sendWaitingReport(reported.device());
        }
        return;
      }
      session
          .publish(topic, MessageCodec.encode(reported), true)
          .exceptionally(
              e -> {
                unsentReports.put(reported.device(), reported);
                return null;
              });
    }

    @Override
    public void raise(DeviceEvent event) {
      DeviceEvent spooled = spool.add(event);
      if (session.isConnected()) {
        session
            .publish(
                Topic.events(config.namespace(), config.gateway(), spooled.device()).path(),
                MessageCodec.encode(spooled),
                false)
            .thenRun(() -> spool.acknowledge(spooled));
      }
    }

    @Override
    public void inventoryChanged() {
      if (session.isConnected()) {
        publishBirth();
      }
    }
  }

  /**
   * Publishes the birth, re-subscribes and flushes what waited for the broker. Reports wait for a
   * birth of the session that lists their device: a report must never reach the operator before the
   * birth that announces its device (a device that answers after the first birth waits for the next
   * one).
   */
  private final class Listener implements SessionListener {
    @Override
    public void connectionLost(Throwable cause) {
      announced.clear();
    }

    @Override
    public void connected(boolean reconnect) {
      publishBirth();
      flushSpool();
      unsentReports.keySet().forEach(EdgeAgent.this::sendWaitingReport);
    }
  }
}
