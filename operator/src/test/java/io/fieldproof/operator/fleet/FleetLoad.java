package io.fieldproof.operator.fleet;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.api.v1alpha1.DeviceGroupSpec;
import io.fieldproof.api.v1alpha1.DeviceSelector;
import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.operator.mqtt.DesiredCapture;
import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.operator.mqtt.InboundRouter;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ReportedState;
import io.fieldproof.protocol.Slots;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A burst of fleet traffic through the operator's real ingestion path: gateway births and device
 * reports published to Mosquitto, read by the operator's MQTT session, routed into the fleet index,
 * and turned into DeviceGroup reconcile events by the fleet event source. Counts the reconcile
 * events the burst causes.
 */
final class FleetLoad implements AutoCloseable {

  static final String NAMESPACE = "bench";

  private final MosquittoBroker broker = MosquittoBroker.start();
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final FleetIndex index = new FleetIndex(Clock.systemUTC());
  private final AtomicInteger reconcileEvents = new AtomicInteger();
  private final FleetEventSource events;
  private final MqttSession operatorSide;
  private final MqttSession gatewaySide;

  FleetLoad(int groups, Duration window) throws Exception {
    events = new FleetEventSource(index, new Groups(groups), window);
    events.setEventHandler(event -> reconcileEvents.incrementAndGet());
    events.start();
    InboundRouter router =
        new InboundRouter(
            index, new InboundMetrics(new SimpleMeterRegistry()), new DesiredCapture());
    operatorSide = new MqttSession(settings("operator"), null, reconnect -> {}, scheduler);
    operatorSide.subscribe(Topic.filter(NAMESPACE, "gw/+/state"), router::accept);
    operatorSide.subscribe(Topic.filter(NAMESPACE, "gw/+/dev/+/reported"), router::accept);
    operatorSide.start();
    gatewaySide = new MqttSession(settings("gateways"), null, reconnect -> {}, scheduler);
    gatewaySide.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> operatorSide.isConnected() && gatewaySide.isConnected());
  }

  /** Announces the devices (gateways of `perGateway` devices) and waits until all are indexed. */
  void announce(int devices, int perGateway, int groups) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int g = 0; g * perGateway < devices; g++) {
      List<DeviceInfo> infos = new ArrayList<>();
      for (int d = g * perGateway; d < Math.min(devices, (g + 1) * perGateway); d++) {
        infos.add(
            new DeviceInfo(
                id(d),
                "esp32",
                "rt-1",
                new Capabilities(List.of("FULLY_CONNECTED"), 98304, 524288),
                Map.of("g", Integer.toString(d % groups))));
      }
      GatewayState birth = GatewayState.birth("gw-" + g, 1, "bench", infos, 0);
      sent.add(
          gatewaySide.publish(
              Topic.gatewayState(NAMESPACE, "gw-" + g).path(), MessageCodec.encode(birth), true));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> index.deviceCount() == devices);
  }

  /** Publishes one report per device and waits until the index holds every one. */
  long burstOfReports(int devices, int perGateway, long generation) {
    long start = System.nanoTime();
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      ReportedState report =
          new ReportedState(
              Message.VERSION,
              id(d),
              "gw-" + (d / perGateway),
              ReportedState.Link.CONNECTED,
              generation,
              null,
              new Slots(null, null, null),
              "Idle",
              null,
              Health.builder().uptimeMs(1000).readings(10).telemetryFrames(10).build());
      sent.add(
          gatewaySide.publish(
              Topic.reported(NAMESPACE, "gw-" + (d / perGateway), id(d)).path(),
              MessageCodec.encode(report),
              true));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(
                        index.devices(NAMESPACE).stream()
                            .filter(
                                e ->
                                    e.reported() != null
                                        && e.reported().observedGeneration() == generation)
                            .count())
                    .as("devices whose report of generation %d is indexed", generation)
                    .isEqualTo(devices));
    return System.nanoTime() - start;
  }

  int reconcileEvents() {
    return reconcileEvents.get();
  }

  void resetReconcileEvents() {
    reconcileEvents.set(0);
  }

  FleetIndex index() {
    return index;
  }

  private MqttSettings settings(String clientId) {
    return TestMqttSettings.anonymous(broker.uri(), clientId, Duration.ofSeconds(30));
  }

  private static String id(int d) {
    return String.format("esp32-%012x", 0xa4cf12000000L + d);
  }

  @Override
  public void close() {
    events.stop();
    operatorSide.close();
    gatewaySide.close();
    scheduler.shutdownNow();
    broker.close();
  }

  /** The DeviceGroups the event source consults: group i selects devices labelled g=i. */
  private static final class Groups implements IndexedResourceCache<DeviceGroup> {
    private final List<DeviceGroup> groups = new ArrayList<>();

    Groups(int count) {
      for (int i = 0; i < count; i++) {
        DeviceGroup group = new DeviceGroup();
        group.setMetadata(
            new ObjectMetaBuilder()
                .withName("group-" + i)
                .withNamespace(NAMESPACE)
                .withGeneration(1L)
                .build());
        group.setSpec(new DeviceGroupSpec());
        group.getSpec().selector = new DeviceSelector();
        group.getSpec().selector.matchLabels = Map.of("g", Integer.toString(i));
        groups.add(group);
      }
    }

    @Override
    public Optional<DeviceGroup> get(ResourceID id) {
      return groups.stream().filter(g -> ResourceID.fromResource(g).equals(id)).findFirst();
    }

    @Override
    public Stream<ResourceID> keys() {
      return groups.stream().map(ResourceID::fromResource);
    }

    @Override
    public Stream<DeviceGroup> list(Predicate<DeviceGroup> predicate) {
      return groups.stream().filter(predicate);
    }

    @Override
    public Stream<DeviceGroup> list(String namespace, Predicate<DeviceGroup> predicate) {
      return groups.stream()
          .filter(g -> g.getMetadata().getNamespace().equals(namespace))
          .filter(predicate);
    }

    @Override
    public List<DeviceGroup> byIndex(String indexName, String indexKey) {
      throw new UnsupportedOperationException("no indexes here");
    }
  }
}
