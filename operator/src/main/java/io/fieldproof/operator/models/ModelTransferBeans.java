package io.fieldproof.operator.models;

import io.fieldproof.operator.mqtt.FleetMqttConfig;
import io.fieldproof.operator.mqtt.InboundMetrics;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the model publisher on the operator's MQTT session, subscribed to the retained manifests of
 * the namespaces this replica reads.
 */
@Singleton
public class ModelTransferBeans {

  @Produces
  @Singleton
  ModelPublisher modelPublisher(
      MqttSession session,
      FleetMqttConfig mqtt,
      ModelTransferConfig config,
      InboundMetrics inbound,
      MeterRegistry registry) {
    RetainedModels retained =
        new RetainedModels(session, new ModelTransferMetrics(registry), config.chunkSize());
    BrokerManifests broker = new BrokerManifests(inbound);
    session.subscribe(Topic.filter(mqtt.namespace(), "models/+/manifest"), broker::accept);
    return new ModelPublisher(retained, broker);
  }
}
