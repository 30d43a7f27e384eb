package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.ReportedState;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operator's picture of the fleet, fed only by MQTT: device -> last reported state, gateway ->
 * last birth or will, device -> retained desired state. In memory; after a restart it is rebuilt
 * from the retained messages without asking any device anything.
 */
public final class FleetIndex {

  private final Clock clock;
  private final Map<String, Map<String, GatewayEntry>> gateways = new ConcurrentHashMap<>();
  private final Map<String, Map<String, DeviceEntry>> devices = new ConcurrentHashMap<>();
  private final List<FleetListener> listeners = new CopyOnWriteArrayList<>();

  public FleetIndex(Clock clock) {
    this.clock = clock;
  }

  public void addListener(FleetListener listener) {
    listeners.add(listener);
  }

  /**
   * Applies a birth or a will. A state older than the one held (a late will of an earlier session)
   * changes nothing.
   */
  public synchronized void gatewayState(String namespace, GatewayState state) {
    Map<String, GatewayEntry> inNamespace =
        gateways.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    GatewayEntry before = inNamespace.get(state.gateway());
    if (before != null && state.seq() < before.seq()) {
      return;
    }
    boolean online = state.status() == GatewayState.Status.ONLINE;
    Set<String> announced = new HashSet<>();
    Set<String> changed = new HashSet<>();
    Map<String, DeviceEntry> nsDevices =
        devices.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    if (online) {
      for (DeviceInfo info : state.devices()) {
        announced.add(info.id());
        nsDevices.compute(
            info.id(), (id, entry) -> announce(namespace, id, entry, state.gateway(), info));
        changed.add(info.id());
      }
    } else if (before != null) {
      announced.addAll(before.devices());
      changed.addAll(before.devices());
    }
    if (before != null && online) {
      for (String gone : before.devices()) {
        if (!announced.contains(gone)) {
          nsDevices.computeIfPresent(gone, (id, entry) -> withdraw(entry, state.gateway()));
          changed.add(gone);
        }
      }
    }
    inNamespace.put(
        state.gateway(),
        new GatewayEntry(
            namespace,
            state.gateway(),
            online,
            state.seq(),
            announced,
            state.eventsDropped(),
            clock.instant()));
    notify(namespace, changed);
  }

  /** Applies a device report; the device must be announced by the gateway that reports it. */
  public synchronized void reported(String namespace, ReportedState state)
      throws InvalidMessageException {
    DeviceEntry entry = device(namespace, state.device()).orElse(null);
    if (entry == null || entry.announcedBy().isEmpty()) {
      throw new InvalidMessageException(
          DropReason.UNKNOWN_DEVICE, "no gateway in " + namespace + " announces " + state.device());
    }
    if (!entry.announcedBy().contains(state.gateway())) {
      throw new InvalidMessageException(
          DropReason.IDENTITY_MISMATCH,
          state.device()
              + " is reported by "
              + state.gateway()
              + " but announced by "
              + entry.announcedBy());
    }
    devices
        .get(namespace)
        .put(
            state.device(),
            new DeviceEntry(
                namespace,
                entry.id(),
                entry.announcedBy(),
                entry.info(),
                state,
                entry.desired(),
                clock.instant()));
    notify(namespace, Set.of(state.device()));
  }

  /** Records the desired state retained for a device (null when it was retracted). */
  public synchronized void desired(String namespace, String device, DesiredState desired) {
    Map<String, DeviceEntry> nsDevices =
        devices.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    DeviceEntry entry = nsDevices.get(device);
    if (entry == null && desired == null) {
      return;
    }
    DeviceEntry next =
        entry == null
            ? new DeviceEntry(namespace, device, Set.of(), null, null, desired, null)
            : new DeviceEntry(
                namespace,
                device,
                entry.announcedBy(),
                entry.info(),
                entry.reported(),
                desired,
                entry.lastHeard());
    nsDevices.put(device, next);
  }

  public Optional<DeviceEntry> device(String namespace, String id) {
    return Optional.ofNullable(devices.getOrDefault(namespace, Map.of()).get(id));
  }

  /** Every device of the namespace, announced or only holding a retained desired state. */
  public List<DeviceEntry> devices(String namespace) {
    return List.copyOf(devices.getOrDefault(namespace, Map.of()).values());
  }

  public Optional<GatewayEntry> gateway(String namespace, String id) {
    return Optional.ofNullable(gateways.getOrDefault(namespace, Map.of()).get(id));
  }

  public List<GatewayEntry> gateways(String namespace) {
    return List.copyOf(gateways.getOrDefault(namespace, Map.of()).values());
  }

  /** Whether the device is online, as {@link Presence} defines it: the one definition. */
  public boolean online(DeviceEntry entry, java.time.Duration offlineAfter) {
    return presence(entry, offlineAfter).online();
  }

  /** Where the device stands: online, or why not (see {@link Presence}). */
  public Presence presence(DeviceEntry entry, java.time.Duration offlineAfter) {
    boolean gatewayUp =
        entry.announcedBy().stream()
            .anyMatch(gw -> gateway(entry.namespace(), gw).map(GatewayEntry::online).orElse(false));
    return Presence.of(entry, gatewayUp, offlineAfter, clock.instant());
  }

  public java.time.Instant now() {
    return clock.instant();
  }

  /** The namespaces any device or gateway was heard of in. */
  public Set<String> namespaces() {
    return Set.copyOf(devices.keySet());
  }

  public int deviceCount() {
    return devices.values().stream().mapToInt(Map::size).sum();
  }

  private DeviceEntry announce(
      String namespace, String id, DeviceEntry entry, String gateway, DeviceInfo info) {
    Set<String> by = new HashSet<>(entry == null ? Set.of() : entry.announcedBy());
    by.add(gateway);
    return new DeviceEntry(
        namespace,
        id,
        by,
        info,
        entry == null ? null : entry.reported(),
        entry == null ? null : entry.desired(),
        clock.instant());
  }

  private static DeviceEntry withdraw(DeviceEntry entry, String gateway) {
    Set<String> by = new HashSet<>(entry.announcedBy());
    by.remove(gateway);
    return new DeviceEntry(
        entry.namespace(),
        entry.id(),
        by,
        entry.info(),
        entry.reported(),
        entry.desired(),
        entry.lastHeard());
  }

  private void notify(String namespace, Set<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    for (FleetListener listener : listeners) {
      listener.changed(namespace, Set.copyOf(changed));
    }
  }
}
