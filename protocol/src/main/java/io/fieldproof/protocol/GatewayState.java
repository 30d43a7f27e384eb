package io.fieldproof.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The retained state of a gateway: its birth (online, with the inventory of its devices) or its
 * last will (offline). Both carry the birth sequence number, so a late will of an older session
 * never marks a newer session offline.
 */
public record GatewayState(
    int v,
    String gateway,
    Status status,
    long seq,
    String agentVersion,
    List<DeviceInfo> devices,
    long eventsDropped)
    implements Message {

  /** Whether the gateway's session is up. */
  public enum Status {
    @JsonProperty("online")
    ONLINE,
    @JsonProperty("offline")
    OFFLINE
  }

  public GatewayState {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }

  public static GatewayState birth(
      String gateway, long seq, String agentVersion, List<DeviceInfo> devices, long eventsDropped) {
    return new GatewayState(
        VERSION, gateway, Status.ONLINE, seq, agentVersion, devices, eventsDropped);
  }

  public static GatewayState will(String gateway, long seq) {
    return new GatewayState(VERSION, gateway, Status.OFFLINE, seq, null, List.of(), 0);
  }

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (gateway == null || gateway.isBlank()) {
      problems.add("gateway is required");
    }
    if (status == null) {
      problems.add("status is required");
    }
    if (seq < 0) {
      problems.add("seq must not be negative");
    }
    for (int i = 0; i < devices.size(); i++) {
      DeviceInfo d = devices.get(i);
      if (d == null || d.id() == null || d.id().isBlank()) {
        problems.add("devices[" + i + "].id is required");
      } else if (!Grammar.deviceId(d.id())) {
        problems.add("devices[" + i + "].id is not a device id: " + d.id());
      } else if (d.chip() == null || d.chip().isBlank()) {
        problems.add("devices[" + i + "].chip is required");
      } else {
        d.labels().forEach((k, val) -> Grammar.labelProblem(k, val).ifPresent(problems::add));
      }
    }
    return problems;
  }
}
