package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.leader.Leadership;
import io.fieldproof.operator.signing.DesiredSigning;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.protocol.mqtt.SessionListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * The operator's side of MQTT: one session (Paho v5) that feeds the fleet index from births, wills,
 * reports and the retained desired states, and publishes desired states.
 */
@ApplicationScoped
public class MqttBridge {

  private static final Logger LOG = Logger.getLogger(MqttBridge.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mqtt-bridge");
            t.setDaemon(true);
            return t;
          });

  @Produces
  @Singleton
  FleetIndex fleetIndex(Clock clock, MeterRegistry registry) {
    FleetIndex index = new FleetIndex(clock);
    FleetIndexGauges.register(registry, index);
    return index;
  }

  @Produces
  @Singleton
  InboundMetrics inboundMetrics(MeterRegistry registry) {
    return new InboundMetrics(registry);
  }

  @Produces
  @Singleton
  DesiredCapture desiredCapture() {
    return new DesiredCapture();
  }

  @Produces
  @Singleton
  FleetReplay fleetReplay(Clock clock) {
    return new FleetReplay(clock, FleetReplay.MAX_WAIT);
  }

  @Produces
  @Singleton
  @Startup
  MqttSession session(
      FleetMqttConfig config,
      FleetIndex index,
      InboundMetrics metrics,
      DesiredCapture capture,
      FleetReplay replay,
      Leadership leadership) {
    InboundRouter router = new InboundRouter(index, metrics, capture);
    MqttSettings settings =
        new MqttSettings(
            config.uri(),
            config.clientId(),
            config.username().orElse(null),
            config.password().map(String::toCharArray).orElse(null),
            config.caFile().orElse(null),
            config.clientCertFile().orElse(null),
            config.clientKeyFile().orElse(null),
            config.verifyHostname(),
            true,
            Duration.ZERO,
            Duration.ofSeconds(30),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            null,
            config.maximumPacketSize());
    try {
      MqttSession session = new MqttSession(settings, null, new Logging(config), scheduler);
      String ns = config.namespace();
      session.subscribe(Topic.filter(ns, "gw/+/state"), router::accept);
      session.subscribe(Topic.deviceFilter(ns, TopicKind.DESIRED), router::accept);
      session.subscribe(Topic.deviceFilter(ns, TopicKind.REPORTED), router::accept);
      // before the first connect, so that the first session's retained messages are proven too
      session.addRetainedListener(replay);
      session.start();
      // device events are counted by the leader alone: a standby in the shared subscription would
      // take a share of them and count them where nobody sums them with the leader's
      leadership.whenLeading(
          () ->
              session.subscribe(
                  "$share/" + config.sharedGroup() + "/" + Topic.deviceFilter(ns, TopicKind.EVENTS),
                  router::accept));
      return session;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Produces
  @Singleton
  DesiredPublisher desiredPublisher(MqttSession session, FleetIndex index, DesiredSigning signing) {
    return new DesiredPublisher(session, index, signing);
  }

  void close(@jakarta.enterprise.inject.Disposes MqttSession session) {
    session.close();
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }

  /** Logs the session's ups and downs. */
  private record Logging(FleetMqttConfig config) implements SessionListener {
    @Override
    public void connected(boolean reconnect) {
      LOG.infof(
          "fleet MQTT session to %s up (namespace filter %s)", config.uri(), config.namespace());
    }

    @Override
    public void connectionLost(Throwable cause) {
      LOG.warnf(
          "fleet MQTT session to %s lost: %s",
          config.uri(), cause == null ? "" : cause.getMessage());
    }
  }
}
