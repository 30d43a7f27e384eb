package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Grammar;
import io.fieldproof.protocol.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator takes from a birth, and what it sets itself: the reserved {@code
 * fieldproof.io/} labels come from the topic's gateway and the device's chip, never from the
 * payload (one there is removed and counted), and a device another gateway of the namespace
 * announced first is counted as a later claim, which the fleet index notes without handing it over.
 */
final class BirthClaims {

  private final FleetIndex index;
  private final InboundMetrics metrics;

  BirthClaims(FleetIndex index, InboundMetrics metrics) {
    this.index = index;
    this.metrics = metrics;
  }

  GatewayState admit(Topic topic, GatewayState state) {
    List<DeviceInfo> devices = new ArrayList<>();
    for (DeviceInfo info : state.devices()) {
      devices.add(withReservedLabels(topic, info));
      String owner =
          index.device(topic.namespace(), info.id()).map(DeviceEntry::gateway).orElse(null);
      if (owner != null && !owner.equals(topic.gateway())) {
        metrics.ignored(
            topic.path(),
            IgnoredClaim.LATER_CLAIM,
            info.id() + " is owned by " + owner + ", which announced it first");
      }
    }
    return new GatewayState(
        state.v(),
        state.gateway(),
        state.status(),
        state.seq(),
        state.agentVersion(),
        devices,
        state.eventsDropped());
  }

  private DeviceInfo withReservedLabels(Topic topic, DeviceInfo info) {
    Map<String, String> labels = new LinkedHashMap<>();
    info.labels()
        .forEach(
            (key, value) -> {
              if (Grammar.reserved(key)) {
                metrics.ignored(
                    topic.path(),
                    IgnoredClaim.RESERVED_LABEL,
                    "label "
                        + key
                        + " of "
                        + info.id()
                        + ": only the operator sets fieldproof.io/");
              } else {
                labels.put(key, value);
              }
            });
    labels.put(DeviceInfo.CHIP_LABEL, info.chip());
    labels.put(DeviceInfo.GATEWAY_LABEL, topic.gateway());
    return new DeviceInfo(info.id(), info.chip(), info.firmware(), info.capabilities(), labels);
  }
}
