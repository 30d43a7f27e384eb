package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.Topic;
import java.util.Optional;

/**
 * Routes every received MQTT message into the fleet index, after the contract's checks. The gateway
 * is the topic's: a report or event whose payload names another is dropped ({@code
 * identity_mismatch}), a report from a gateway that does not own the device too. A bad message is
 * dropped and counted with its reason; nothing it contains can throw out of here.
 */
public final class InboundRouter {

  private final FleetIndex index;
  private final InboundMetrics metrics;
  private final DesiredCapture capture;
  private final BirthClaims claims;

  public InboundRouter(FleetIndex index, InboundMetrics metrics, DesiredCapture capture) {
    this.index = index;
    this.metrics = metrics;
    this.capture = capture;
    this.claims = new BirthClaims(index, metrics);
  }

  public void accept(String path, byte[] payload) {
    Optional<Topic> parsed = Topic.parse(path);
    if (parsed.isEmpty()) {
      metrics.dropped(path, DropReason.UNKNOWN_TOPIC, "not a topic of the fieldproof v2 contract");
      return;
    }
    Topic topic = parsed.get();
    metrics.received(topic.kind());
    try {
      route(topic, payload);
    } catch (InvalidMessageException e) {
      metrics.dropped(path, e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      metrics.dropped(path, DropReason.INVALID_FIELD, "unexpected: " + e);
    }
  }

  private void route(Topic topic, byte[] payload) throws InvalidMessageException {
    switch (topic.kind()) {
      case GATEWAY_STATE -> {
        if (payload.length > 0) {
          index.applyGatewayState(
              topic.namespace(),
              claims.admit(topic, MessageCodec.decodeGatewayState(topic, payload)));
        }
      }
      case REPORTED -> {
        if (payload.length > 0) {
          index.reported(topic.namespace(), MessageCodec.decodeReported(topic, payload));
        }
      }
      case DESIRED -> {
        var desired = payload.length == 0 ? null : MessageCodec.decodeDesired(topic, payload);
        index.desiredRetainedUnder(
            topic.namespace(), topic.gateway(), topic.device(), desired != null);
        if (!capture.offer(topic.namespace(), topic.device(), desired)) {
          index.applyDesired(topic.namespace(), topic.device(), desired);
        }
      }
      case EVENTS -> {
        var event = MessageCodec.decodeEvent(topic, payload);
        // a namespace no gateway was announced in is not a label of its own: "other"
        metrics.deviceEvent(
            index.gateways(topic.namespace()).isEmpty() ? InboundMetrics.OTHER : topic.namespace(),
            event);
      }
      default -> {}
    }
  }
}
