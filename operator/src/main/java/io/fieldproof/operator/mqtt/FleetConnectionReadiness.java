package io.fieldproof.operator.mqtt;

import io.fieldproof.protocol.mqtt.MqttSession;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the fleet MQTT session is up: an operator cut off from its broker can neither
 * hear devices nor tell them anything, so it must not look ready (a Service stops routing to it,
 * kubectl and dashboards show it). Liveness stays up: the session reconnects by itself, and a
 * restart would not bring the broker back.
 */
@Readiness
@ApplicationScoped
public class FleetConnectionReadiness implements HealthCheck {

  private final MqttSession session;
  private final FleetMqttConfig config;

  FleetConnectionReadiness(MqttSession session, FleetMqttConfig config) {
    this.session = session;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("fleet-mqtt")
        .status(session.isConnected())
        .withData("broker", config.uri())
        .build();
  }
}
